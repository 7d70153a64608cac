#include "core/package.h"

#include <sodium.h>

#include "core/diagnostics.h"

namespace ptvsd {

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string manifest_for(std::string_view file_name, std::string_view bytes) {
  return sha256_hex(bytes) + "  " + std::string(file_name) + "\n";
}

void verify_manifest(std::string_view manifest, const std::string& manifest_path,
                     std::string_view file_name, std::string_view bytes) {
  const auto expected = manifest_for(file_name, bytes);
  if (manifest.size() != expected.size() ||
      sodium_memcmp(manifest.data(), expected.data(), expected.size()) != 0) {
    throw Error(Code::package_mismatch, {manifest_path, 1, 1},
                std::string(file_name) + " does not match its SHA-256 manifest; publish again");
  }
}

}  // namespace ptvsd
