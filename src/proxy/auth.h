// Who may attach a debugger: whoever presents WSGI_PTVSD_SECRET. Debugpy has no secret of its own,
// so this check is the only lock on the door. Clients put the secret in the user part of the URL
// (wss://<secret>@site/ptvsd, or wss://<secret>:@site/ptvsd), which they send as
// `Authorization: Basic base64(<secret>:)`; scripts may send `Authorization: Bearer <secret>`.
// Everything here is pure, so it is tested without a network.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "core/secret.h"

namespace ptvsd::proxy {

// The credential an Authorization header value carries, or nullopt when the header is malformed
// or uses another scheme. Scheme names are case-insensitive.
//   Basic <base64 of "secret:" or "secret">  -> "secret" (only an empty password is accepted)
//   Bearer <secret>                            -> "secret"
// The result is wiped when it dies, as it may be the secret itself.
std::optional<SensitiveString> credential_from_authorization(std::string_view header);

using Digest = std::array<unsigned char, 32>;

// The proxy's one comparison of secret material: sodium_memcmp, in time independent of where the
// digests differ. tests/proxy/constant_time_check.py keeps every other comparison out of the proxy.
[[nodiscard]] bool constant_time_equal(const Digest& a, const Digest& b);

// Compares candidates with the secret in time that depends on neither the secret's nor the
// candidate's content or length: both sides are hashed (BLAKE2b, keyed with a per-process random
// key) and the digests are compared by `compare`, constant_time_equal unless a test passes a
// stand-in to see that the decision is that function's.
class SecretCheck {
 public:
  using Compare = bool (*)(const Digest&, const Digest&);
  explicit SecretCheck(const Secret& secret, Compare compare = constant_time_equal);
  SecretCheck(const SecretCheck&) = delete;
  SecretCheck& operator=(const SecretCheck&) = delete;
  ~SecretCheck();

  [[nodiscard]] bool matches(std::string_view candidate) const;

  // True when the header value carries exactly the secret.
  [[nodiscard]] bool authorizes(std::string_view authorization_header) const;

  // The function that decides, so a test can see which one the proxy's auth path uses.
  [[nodiscard]] Compare compare_function() const { return compare_; }

 private:
  Compare compare_;
  std::array<unsigned char, 32> key_{};
  Digest digest_{};
};

}  // namespace ptvsd::proxy
