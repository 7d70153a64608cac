#include "core/secret.h"

#include <array>
#include <cstring>

#include <sodium.h>

#include "core/diagnostics.h"

namespace ptvsd {

namespace {

constexpr int base64url = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

void require_sodium() {
  if (sodium_init() < 0) {
    throw Error(Code::internal, {}, "libsodium could not be initialised; no secret generated");
  }
}

}  // namespace

std::size_t encoded_length(std::size_t bytes) {
  return sodium_base64_ENCODED_LEN(bytes, base64url) - 1;  // the macro counts the terminating NUL
}

std::optional<std::string> secret_weakness(std::string_view value, std::string_view subject) {
  if (value.size() < encoded_length(Secret::min_bytes)) {
    return std::string(subject) + " carries at most " + std::to_string(value.size() * 6) +
           " bits, under the 128-bit floor (" + std::to_string(encoded_length(Secret::min_bytes)) +
           " base64url characters)";
  }
  std::array<bool, 256> seen{};
  std::size_t distinct = 0;
  for (const char c : value) {
    auto& mark = seen[static_cast<unsigned char>(c)];
    if (!mark) ++distinct;
    mark = true;
  }
  if (distinct < min_distinct_characters) {
    return std::string(subject) + " uses only " + std::to_string(distinct) + " distinct characters (at least " +
           std::to_string(min_distinct_characters) + " needed): it cannot have been drawn at random";
  }
  return std::nullopt;
}

Secret::Secret(std::unique_ptr<char[]> data, std::size_t size, std::size_t bits)
    : data_(std::move(data)), size_(size), bits_(bits) {}

Secret Secret::generate(long long count) {
  if (count < static_cast<long long>(min_bytes) || count > static_cast<long long>(max_bytes)) {
    throw Error(Code::secret_size, {},
                "--secret-bytes must be from " + std::to_string(min_bytes) + " to " + std::to_string(max_bytes) +
                    " (128 to 512 bits); got " + std::to_string(count));
  }
  const auto bytes = static_cast<std::size_t>(count);
  require_sodium();
  unsigned char raw[max_bytes];
  randombytes_buf(raw, bytes);
  const std::size_t size = encoded_length(bytes);
  auto data = std::make_unique<char[]>(size + 1);
  sodium_bin2base64(data.get(), size + 1, raw, bytes, base64url);
  sodium_memzero(raw, sizeof raw);
  return Secret(std::move(data), size, bytes * 8);
}

Secret Secret::from_text(std::string_view text) {
  auto data = std::make_unique<char[]>(text.size() + 1);
  std::memcpy(data.get(), text.data(), text.size());
  // Whole bytes only: 43 characters carry 258 bits of base64url but encode 32 bytes, and a
  // generated secret of 32 bytes reports 256; `url`, `publish` and `rotate` must agree.
  return Secret(std::move(data), text.size(), text.size() * 6 / 8 * 8);
}

Secret::Secret(Secret&& other) noexcept : data_(std::move(other.data_)), size_(other.size_), bits_(other.bits_) {
  other.size_ = 0;
}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    wipe();
    data_ = std::move(other.data_);
    size_ = other.size_;
    bits_ = other.bits_;
    other.size_ = 0;
  }
  return *this;
}

Secret::~Secret() { wipe(); }

void Secret::wipe() noexcept {
  if (data_) sodium_memzero(data_.get(), size_ + 1);
}

SensitiveString& SensitiveString::operator=(SensitiveString&& other) noexcept {
  if (this != &other) {
    sodium_memzero(text_.data(), text_.capacity());
    text_ = std::move(other.text_);
  }
  return *this;
}

SensitiveString::~SensitiveString() { sodium_memzero(text_.data(), text_.capacity()); }

}  // namespace ptvsd
