// What `check` finds wrong with a project or a publish output, decided on parsed text only (the
// command reads the files). Each finding has its own exit code, documented in README ("check"):
// the lower the code, the earlier remote debugging breaks, and `check` exits with the lowest.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/output.h"
#include "core/xml_text.h"

namespace ptvsd {

namespace check_exit {
inline constexpr int secret_missing = 10;
inline constexpr int secret_weak = 11;
inline constexpr int secret_not_url_safe = 12;
inline constexpr int secret_twice = 13;
inline constexpr int handler_missing = 20;
inline constexpr int handler_twice = 21;
inline constexpr int handler_after_catch_all = 22;
inline constexpr int handler_target_missing = 23;
inline constexpr int proxy_missing = 30;
inline constexpr int proxy_mismatch = 31;
inline constexpr int web_sockets_off = 40;
inline constexpr int transform_rejected = 50;
}  // namespace check_exit

struct Finding {
  int exit_code;  // 0 for a warning
  Diagnostic diagnostic;
};

// The WSGI_PTVSD_SECRET setting: present once, at least 128 bits, base64url characters only.
std::vector<Finding> check_secret(const XmlText& config);

// A deployed web.config: one ptvsd handler ahead of the catch-all, whose proxy is packaged
// (`packaged(relative path)` says whether the publish output holds a file), web sockets on; warns
// about the request timeouts that end a debug session paused at a breakpoint.
using PackagedLookup = std::function<bool(std::string_view relative_path)>;
std::vector<Finding> check_site_config(const XmlText& web_config, const PackagedLookup& packaged);

// A web.debug.config: only transforms and locators the XDT engine knows, and web sockets not
// switched off.
std::vector<Finding> check_transform(const XmlText& transform);

// The packaged proxy against its manifest (either may be missing).
std::vector<Finding> check_proxy_package(const std::string& proxy_path, const std::optional<std::string>& proxy,
                                         const std::string& manifest_path,
                                         const std::optional<std::string>& manifest);

}  // namespace ptvsd
