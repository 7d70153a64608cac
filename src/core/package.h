// The proxy's integrity manifest: one line in sha256sum's format ("<hex>  <name>\n"), so that
// `sha256sum -c ptvsd-proxy.sha256` checks a deployed copy with no tool of ours.
#pragma once

#include <string>
#include <string_view>

namespace ptvsd {

inline constexpr std::string_view manifest_suffix = ".sha256";

std::string sha256_hex(std::string_view bytes);

std::string manifest_for(std::string_view file_name, std::string_view bytes);

// Throws Error(package_mismatch), located at `manifest_path`, unless the manifest names
// `file_name` with the SHA-256 of `bytes`.
void verify_manifest(std::string_view manifest, const std::string& manifest_path,
                     std::string_view file_name, std::string_view bytes);

}  // namespace ptvsd
