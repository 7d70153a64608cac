// The proxy's integrity manifest: one line in sha256sum's format ("<hex>  <name>\n"), so that
// `sha256sum -c ptvsd-proxy.sha256` checks a deployed copy with no tool of ours.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <sodium.h>

#include "core/files.h"

namespace ptvsd {

inline constexpr std::string_view manifest_suffix = ".sha256";

// Where the site's proxy goes in a publish output: the file the templates' <httpPlatform
// processPath=".\bin\ptvsd-proxy.exe"> starts. IIS runs it, so it is a Windows x64 program
// whichever system the publish runs on.
inline constexpr std::string_view packaged_proxy_folder = "bin";
inline constexpr std::string_view packaged_proxy_name = "ptvsd-proxy.exe";

// SHA-256 of bytes given in pieces (a file read a chunk at a time).
class Sha256 {
 public:
  Sha256();
  void add(std::string_view bytes);
  std::string hex();  // lowercase, as sha256sum prints it

 private:
  crypto_hash_sha256_state state_;
};

std::string sha256_hex(std::string_view bytes);

// The manifest's one line, for the file `file_name` with this digest (sha256_hex).
std::string manifest_line(std::string_view file_name, std::string_view digest_hex);

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
  PackagedFile manifest;         // <publish-dir>/bin/ptvsd-proxy.exe.sha256, readable by all
  std::filesystem::path binary;  // <publish-dir>/bin/ptvsd-proxy.exe
  // What is copied there: megabytes go from file to file, never whole into memory. The new file
  // gets its mode, so it stays executable where the mode means something.
  files::FileVersion source;
};

// A manifest read from a file, the one the build wrote beside the installed proxy
// (cmake/proxy_manifest.cmake), and where it was read.
struct ShippedManifest {
  std::string line;
  std::string path;
};

// The shipped manifest's line, which the build computed from the very bytes it installed (`check`
// compares them on the site's copy). Throws Error(package_mismatch), located at the manifest,
// unless it is one SHA-256 line for the packaged name.
std::string checked_manifest_line(ShippedManifest shipped);

// The site's proxy (`source`, whose first bytes are `head`: a chunk of files::read_in_chunks) and
// its manifest line as they go into `publish_dir`, in the system's separators. Throws
// Error(proxy_format), located at `source`, unless `head` starts a Windows x64 program: IIS starts
// it on the site whatever it is named and wherever the publish runs, so a Linux build would fail
// only on the server (HTTP 502.5).
PackagedProxy package_proxy(const files::FileVersion& source, std::string_view head,
                            const std::filesystem::path& publish_dir, std::string manifest);

}  // namespace ptvsd
