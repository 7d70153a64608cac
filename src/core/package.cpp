#include "core/package.h"

#include <sodium.h>

#include "core/diagnostics.h"
#include "core/executable_format.h"
#include "core/files.h"

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

void verify_manifest(std::string_view manifest, const std::string& manifest_path, std::string_view file_name,
                     std::string_view bytes) {
  const auto expected = manifest_for(file_name, bytes);
  if (manifest.size() != expected.size() || sodium_memcmp(manifest.data(), expected.data(), expected.size()) != 0) {
    throw Error(Code::package_mismatch, {manifest_path, 1, 1},
                std::string(file_name) + " does not match its SHA-256 manifest; publish again");
  }
}

PackagedProxy package_proxy(const std::filesystem::path& source, std::string bytes, std::filesystem::perms source_mode,
                            const std::filesystem::path& publish_dir) {
  using std::filesystem::perms;
  const auto format = executable_format(bytes);
  if (format != ExecutableFormat::pe_x64) {
    throw Error(Code::proxy_format, {source.string(), 0, 0},
                "the proxy to package is " + describe(format) + ", but IIS starts it on the site's Windows x64 " +
                    "as " + std::string(packaged_proxy_folder) + "\\" + std::string(packaged_proxy_name) +
                    ": package the win-x64 ptvsd-proxy.exe (the tool's default, " + files::site_proxy_path().string() +
                    "; README, \"Windows\")");
  }
  // In the system's separators only, as every path the messages show.
  const auto bin = (publish_dir / packaged_proxy_folder).make_preferred();
  const std::string name(packaged_proxy_name);
  auto manifest = manifest_for(name, bytes);
  return {{bin / (name + std::string(manifest_suffix)), std::move(manifest),
           perms::owner_read | perms::owner_write | perms::group_read | perms::others_read},
          {bin / name, std::move(bytes), source_mode & perms::mask}};
}

}  // namespace ptvsd
