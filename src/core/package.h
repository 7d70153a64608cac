// The proxy's integrity manifest: one line in sha256sum's format ("<hex>  <name>\n"), so that
// `sha256sum -c ptvsd-proxy.sha256` checks a deployed copy with no tool of ours.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace ptvsd {

inline constexpr std::string_view manifest_suffix = ".sha256";

// Where the site's proxy goes in a publish output: the file the templates' <httpPlatform
// processPath=".\bin\ptvsd-proxy.exe"> starts. IIS runs it, so it is a Windows x64 program
// whichever system the publish runs on.
inline constexpr std::string_view packaged_proxy_folder = "bin";
inline constexpr std::string_view packaged_proxy_name = "ptvsd-proxy.exe";

std::string sha256_hex(std::string_view bytes);

std::string manifest_for(std::string_view file_name, std::string_view bytes);

// Throws Error(package_mismatch), located at `manifest_path`, unless the manifest names
// `file_name` with the SHA-256 of `bytes`.
void verify_manifest(std::string_view manifest, const std::string& manifest_path, std::string_view file_name,
                     std::string_view bytes);

// A file that packaging puts into a publish output, and the mode it gets there if it is new.
struct PackagedFile {
  std::filesystem::path path;
  std::string bytes;
  std::filesystem::perms mode;
};

struct PackagedProxy {
  PackagedFile manifest;  // <publish-dir>/bin/ptvsd-proxy.exe.sha256, readable by all
  PackagedFile binary;    // <publish-dir>/bin/ptvsd-proxy.exe, with the source's mode (so it
                          // stays executable where the mode means something)
};

// A manifest read from a file, the one the build wrote beside the installed proxy
// (cmake/proxy_manifest.cmake), and where it was read.
struct ShippedManifest {
  std::string line;
  std::string path;
};

// The site's proxy, read from `source` (its `bytes` and `source_mode`), and its manifest as they go
// into `publish_dir`, in the system's separators. The manifest is `shipped`'s line when there is
// one, computed from `bytes` otherwise: hashing megabytes would be most of a publish, and the
// build already hashed the very bytes it installed (`check` compares them on the site's copy).
// Throws Error(proxy_format), located at `source`, unless the bytes are a Windows x64 program:
// IIS starts it on the site whatever it is named and wherever the publish runs, so a Linux build
// would fail only on the server (HTTP 502.5); Error(package_mismatch), located at the shipped
// manifest, unless it is one SHA-256 line for the packaged name.
PackagedProxy package_proxy(const std::filesystem::path& source, std::string bytes, std::filesystem::perms source_mode,
                            const std::filesystem::path& publish_dir,
                            std::optional<ShippedManifest> shipped = std::nullopt);

}  // namespace ptvsd
