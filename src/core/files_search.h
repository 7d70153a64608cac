// Part of the disk edge (with files.*): turning what a user typed into the config files it means.
// Shells expand globs on POSIX but not on Windows, and pipelines often quote them, so the tool
// expands them itself.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ptvsd::files {

// Each argument, in order, as files:
//   an existing directory -> every web.config and web.*.config below it (any ASCII case), sorted;
//   a pattern with * or ? -> the files it matches, sorted ('*' and '?' stay within one path
//                            component; a '**' component matches any number of folders);
//   anything else         -> itself (reading it later reports what is wrong).
// A file named twice, or through a link, appears once. Throws Error(read_failed) for a pattern
// that matches nothing, as a shell with nullglob off would leave it unexpanded, for a folder
// without configs (a mistyped folder must not pass as "rotated nothing"), and for a folder it must
// read (below a folder argument, or where a pattern looks) that cannot be listed or searched:
// unreadable, or removed during the run. That error names the folder, before any file is changed,
// so configs there and beside it are never skipped silently.
std::vector<std::string> expand_config_arguments(const std::vector<std::string>& arguments);

// '*' and '?' wildcard match of one path component.
bool matches_wildcard(std::string_view pattern, std::string_view name);

}  // namespace ptvsd::files
