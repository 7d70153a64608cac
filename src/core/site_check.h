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

// The exit code of a finding with `code`, one of the Code::check_* values (README, "check"): 10 to
// 50 for the problems, 0 for the warnings (PTVSD150-152).
int check_exit_code(Code code);

// One thing `check` found. Its code says everything else: the exit code, and whether it is a
// problem or a warning.
struct Finding {
  Diagnostic diagnostic;
  int exit_code() const { return check_exit_code(diagnostic.code); }
};

// A finding of `code` at `where`: an error, or a warning when the code's exit code is 0.
Finding check_finding(Code code, Location where, std::string message);

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

// Whether a deployed web.config starts the packaged proxy (a ptvsd handler under
// HttpPlatformHandler), so that a publish output without it is a problem.
bool runs_packaged_proxy(const XmlText& web_config);

// The packaged proxy against its manifest (either may be missing).
std::vector<Finding> check_proxy_package(const std::string& proxy_path, const std::optional<std::string>& proxy,
                                         const std::string& manifest_path, const std::optional<std::string>& manifest);

}  // namespace ptvsd
