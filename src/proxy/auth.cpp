#include "proxy/auth.h"

#include <string>

#include <sodium.h>

#include "core/ascii.h"
#include "core/diagnostics.h"

namespace ptvsd::proxy {

namespace {

static_assert(crypto_generichash_KEYBYTES == 32 && crypto_generichash_BYTES == 32);

std::optional<SensitiveString> decode_basic(std::string_view encoded) {
  SensitiveString decoded(std::string(encoded.size(), '\0'));
  auto& out = decoded.mutable_str();
  std::size_t length = 0;
  // RFC 7617 pads; a client that leaves the padding out is still understood.
  for (const int variant : {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING}) {
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), encoded.data(), encoded.size(),
                          nullptr, &length, &end, variant) == 0 &&
        end == encoded.data() + encoded.size()) {
      out.resize(length);  // shrinking keeps the buffer, so nothing unwiped is left behind
      // The user name is the secret and the password is empty: "secret:" (or "secret" from a
      // client that drops the empty password). Only the one trailing colon goes, so a typed
      // secret containing ':' still works.
      if (!out.empty() && out.back() == ':') out.pop_back();
      return decoded;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<SensitiveString> credential_from_authorization(std::string_view header) {
  header = trim_spaces_and_tabs(header);
  const auto space = header.find_first_of(" \t");
  if (space == std::string_view::npos) return std::nullopt;
  const auto scheme = header.substr(0, space);
  const auto value = trim_spaces_and_tabs(header.substr(space));
  if (value.empty() || value.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
  if (equal_ignoring_ascii_case(scheme, "Basic")) return decode_basic(value);
  if (equal_ignoring_ascii_case(scheme, "Bearer")) return SensitiveString(std::string(value));
  return std::nullopt;
}

bool constant_time_equal(const Digest& a, const Digest& b) { return sodium_memcmp(a.data(), b.data(), a.size()) == 0; }

SecretCheck::SecretCheck(const Secret& secret, Compare compare) : compare_(compare) {
  if (sodium_init() < 0) {
    throw Error(Code::internal, {"ptvsd-proxy"}, "libsodium could not be initialised");
  }
  // A random key makes the digest useless to anyone who could observe it; the comparison itself
  // is constant-time already.
  crypto_generichash_keygen(key_.data());
  const auto text = secret.reveal();
  crypto_generichash(digest_.data(), digest_.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                     key_.data(), key_.size());
}

SecretCheck::~SecretCheck() {
  sodium_memzero(key_.data(), key_.size());
  sodium_memzero(digest_.data(), digest_.size());
}

bool SecretCheck::matches(std::string_view candidate) const {
  Digest digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(candidate.data()),
                     candidate.size(), key_.data(), key_.size());
  const bool equal = compare_(digest, digest_);
  sodium_memzero(digest.data(), digest.size());
  return equal;
}

bool SecretCheck::authorizes(std::string_view authorization_header) const {
  const auto credential = credential_from_authorization(authorization_header);
  return credential.has_value() && matches(credential->str());
}

}  // namespace ptvsd::proxy
