// The page a browser gets at /ptvsd: what the endpoint is and how to attach, so a person who
// lands here by hand learns what to do. It is the same for everyone and never holds the secret.
#pragma once

#include <string>
#include <string_view>

namespace ptvsd::proxy {

inline constexpr std::string_view info_page_title = "ptvsd-proxy: remote debugging endpoint";

// A complete HTML document (UTF-8). `version` is escaped.
std::string info_page_html(std::string_view version);

}  // namespace ptvsd::proxy
