// The page a browser gets at /ptvsd: what the endpoint is and how to attach, so a person who
// lands here by hand learns what to do. It is the same for everyone and never holds the secret.
#pragma once

#include <string>
#include <string_view>

namespace ptvsd::proxy {

inline constexpr std::string_view info_page_title = "ptvsd-proxy: remote debugging endpoint";

// The README section the page points to, by its heading and that heading's anchor as GitHub and
// most Markdown renderers spell it.
inline constexpr std::string_view readme_section = "Attaching a debugger";
inline constexpr std::string_view readme_anchor = "#attaching-a-debugger";

// A complete HTML document (UTF-8). `readme_url` is where the README is published (the build's
// PTVSD_README_URL): the page links its section there; empty, the page names the section and
// where the README comes with the tool. Both are escaped.
std::string info_page_html(std::string_view version, std::string_view readme_url);

}  // namespace ptvsd::proxy
