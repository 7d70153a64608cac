// The WSGI_PTVSD_SECRET value: whoever knows it can attach a debugger to the site, which is code
// execution. So it is drawn from libsodium's CSPRNG, kept in one heap buffer that is wiped when the
// Secret dies, cannot be copied by accident, and has no stream operator: printing it takes an
// explicit reveal().
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ptvsd {

class Secret {
 public:
  static constexpr std::size_t min_bytes = 16;      // 128 bits: the floor, never less
  static constexpr std::size_t default_bytes = 32;  // 256 bits
  static constexpr std::size_t max_bytes = 64;

  // Throws Error(secret_size) outside [min_bytes, max_bytes]. Signed, so that a negative count
  // typed by a user is reported as typed.
  static Secret generate(long long bytes = default_bytes);
  // Wraps a value read from a config file; the text is copied and the caller keeps its own copy.
  static Secret from_text(std::string_view text);

  Secret(Secret&& other) noexcept;
  Secret& operator=(Secret&& other) noexcept;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  ~Secret();

  std::string_view reveal() const { return {data_.get(), size_}; }
  // Entropy of a generated secret; for one read from text, the bits of the whole bytes its
  // base64url length could carry at most (6 per character, rounded down to bytes: 43 -> 256).
  std::size_t bits() const { return bits_; }

 private:
  Secret(std::unique_ptr<char[]> data, std::size_t size, std::size_t bits);
  void wipe() noexcept;

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t bits_ = 0;
};

// Length of the base64url (no padding) text for a number of random bytes: 43 for 32.
std::size_t encoded_length(std::size_t bytes);

// The one strength rule for a secret read as text, which the proxy (refusing to start) and `check`
// (reporting it) both apply: at least encoded_length(Secret::min_bytes) characters, 128 bits were
// each a random base64url character, and at least min_distinct_characters different ones, so that
// length alone ("aaaa...", 22 times) does not pass. 22 random base64url characters have fewer than
// 10 distinct ones with a probability of 2.3e-9 (19 on average), so no generated secret fails.
inline constexpr std::size_t min_distinct_characters = 10;
// Why `value` is too weak, as "<subject> carries at most N bits, under the 128-bit floor" or "<subject>
// uses only N distinct characters ...", or nullopt when it is strong enough. Never quotes the value.
std::optional<std::string> secret_weakness(std::string_view value, std::string_view subject);

// A string that may hold a secret (a rendered or spliced config): wiped when it dies. Build it at
// its final size where possible, since a reallocation leaves the old buffer unwiped.
class SensitiveString {
 public:
  SensitiveString() = default;
  explicit SensitiveString(std::string text) : text_(std::move(text)) {}
  SensitiveString(SensitiveString&&) noexcept = default;
  SensitiveString& operator=(SensitiveString&& other) noexcept;
  SensitiveString(const SensitiveString&) = delete;
  SensitiveString& operator=(const SensitiveString&) = delete;
  ~SensitiveString();

  const std::string& str() const { return text_; }
  std::string& mutable_str() { return text_; }

 private:
  std::string text_;
};

}  // namespace ptvsd
