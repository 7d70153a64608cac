#include "core/package.h"

#include <sodium.h>

#include "core/ascii.h"
#include "core/diagnostics.h"
#include "core/executable_format.h"
#include "core/files.h"

namespace ptvsd {

Sha256::Sha256() { crypto_hash_sha256_init(&state_); }

void Sha256::add(std::string_view bytes) {
  crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

std::string Sha256::hex() {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state_, digest);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 hash;
  hash.add(bytes);
  return hash.hex();
}

std::string manifest_line(std::string_view file_name, std::string_view digest_hex) {
  return std::string(digest_hex) + "  " + std::string(file_name) + "\n";
}

std::string manifest_for(std::string_view file_name, std::string_view bytes) {
  return manifest_line(file_name, sha256_hex(bytes));
}

void verify_manifest(std::string_view manifest, const std::string& manifest_path, std::string_view file_name,
                     std::string_view bytes) {
  const auto expected = manifest_for(file_name, bytes);
  if (manifest.size() != expected.size() || sodium_memcmp(manifest.data(), expected.data(), expected.size()) != 0) {
    throw Error(Code::package_mismatch, {manifest_path, 1, 1},
                std::string(file_name) + " does not match its SHA-256 manifest; publish again");
  }
}

namespace {

bool is_sha256_hex(std::string_view text) {
  if (text.size() != crypto_hash_sha256_BYTES * 2) return false;
  for (const char c : text) {
    if (!is_ascii_digit(c) && (c < 'a' || c > 'f')) return false;
  }
  return true;
}

}  // namespace

// sha256_hex's digits, two spaces, the packaged name, a line end: what manifest_line writes.
std::string checked_manifest_line(ShippedManifest shipped) {
  const auto hex_length = crypto_hash_sha256_BYTES * 2;
  const std::string_view line = shipped.line;
  const std::string name(packaged_proxy_name);
  const bool well_formed = line.size() > hex_length && is_sha256_hex(line.substr(0, hex_length)) &&
                           line.substr(hex_length) == "  " + name + "\n";
  if (!well_formed) {
    throw Error(Code::package_mismatch, {shipped.path, 1, 1},
                "not one SHA-256 line for " + name + " as the build writes it beside the proxy; reinstall the tool");
  }
  return std::move(shipped.line);
}

PackagedProxy package_proxy(const files::FileVersion& source, std::string_view head,
                            const std::filesystem::path& publish_dir, std::string manifest) {
  using std::filesystem::perms;
  const auto format = executable_format(head);
  if (format != ExecutableFormat::pe_x64) {
    throw Error(Code::proxy_format, {source.path.string(), 0, 0},
                "the proxy to package is " + describe(format) + ", but IIS starts it on the site's Windows x64 " +
                    "as " + std::string(packaged_proxy_folder) + "\\" + std::string(packaged_proxy_name) +
                    ": package the win-x64 ptvsd-proxy.exe (the tool's default, " + files::site_proxy_path().string() +
                    "; README, \"Windows\")");
  }
  // In the system's separators only, as every path the messages show.
  const auto bin = (publish_dir / packaged_proxy_folder).make_preferred();
  const std::string name(packaged_proxy_name);
  return {{bin / (name + std::string(manifest_suffix)), std::move(manifest),
           perms::owner_read | perms::owner_write | perms::group_read | perms::others_read},
          bin / name,
          source};
}

}  // namespace ptvsd
