#include "core/files_search.h"

#include <algorithm>
#include <set>

#include "core/ascii.h"
#include "core/files.h"

namespace ptvsd::files {

namespace {

namespace fs = std::filesystem;

bool has_wildcard(std::string_view text) { return text.find_first_of("*?") != std::string_view::npos; }

bool is_config_name(const fs::path& path) {
  const auto name = ascii_lowercase(path.filename().string());
  return name == "web.config" || (matches_wildcard("web.*.config", name));
}

// Every entry of `directory` and of the folders below it (links to folders not followed), each
// folder before its contents.
template <typename Visit>
void walk(const fs::path& directory, const Visit& visit) {
  for_each_entry(directory, [&](const fs::directory_entry& entry) {
    visit(entry);
    std::error_code ignored;
    if (entry.is_directory(ignored) && !entry.is_symlink(ignored)) walk(entry.path(), visit);
  });
}

void configs_below(const fs::path& directory, std::vector<fs::path>& found) {
  walk(directory, [&](const fs::directory_entry& entry) {
    std::error_code error;
    if (entry.is_regular_file(error) && is_config_name(entry.path())) found.push_back(entry.path());
  });
}

// The type of `path` (links followed). Nothing there, a file where a folder should be on the way
// (ENOENT, ENOTDIR) and a broken link (a loop) are not_found or none: the pattern just does not
// match there, as `rotate DIR` skips such links. Any other failure, a folder on the way that cannot
// be searched above all, is an error naming the path, for the same reason as in for_each_entry.
fs::file_type type_of(const fs::path& path) {
  std::error_code error;
  const auto status = fs::status(path, error);
  const bool broken_link = error == std::errc::too_many_symbolic_link_levels;
  if (error && status.type() != fs::file_type::not_found && !broken_link) {
    throw Error(Code::read_failed, {path.string(), 0, 0},
                "cannot tell whether it exists: " + error.message() + " (no file was changed)");
  }
  return status.type();
}

// Matches `components[index...]` below `base`, appending every file matched.
void glob(const fs::path& base, const std::vector<std::string>& components, std::size_t index,
          std::vector<fs::path>& found) {
  if (index == components.size()) {
    if (type_of(base) == fs::file_type::regular) found.push_back(base);
    return;
  }
  const auto& component = components[index];
  if (!has_wildcard(component)) {
    glob(base / component, components, index + 1, found);
    return;
  }
  // A relative pattern starting with a wildcard lists the current folder, and names what it finds
  // as the pattern does, without a leading "./".
  const fs::path folder = base.empty() ? fs::path(".") : base;
  const auto named = [&](const fs::path& path) { return base.empty() ? path.lexically_relative(folder) : path; };
  if (component == "**") {
    glob(base, components, index + 1, found);  // zero folders
    if (type_of(folder) != fs::file_type::directory) return;
    walk(folder, [&](const fs::directory_entry& entry) {
      std::error_code ignored;
      if (entry.is_directory(ignored)) glob(named(entry.path()), components, index + 1, found);
    });
    return;
  }
  if (type_of(folder) != fs::file_type::directory) return;  // a file: nothing inside to match
  for_each_entry(folder, [&](const fs::directory_entry& entry) {
    const auto name = entry.path().filename().string();
    if (name[0] == '.' && component[0] != '.') return;  // as shells do: hidden files need a dot
    if (matches_wildcard(component, name)) glob(base / name, components, index + 1, found);
  });
}

std::vector<fs::path> expand_pattern(const std::string& pattern) {
  const fs::path path(pattern);
  fs::path base = path.root_path();
  std::vector<std::string> components;
  for (const auto& part : path.relative_path()) components.push_back(part.string());
  // The fixed leading folders are the base; matching starts at the first wildcard.
  std::size_t first = 0;
  while (first < components.size() && !has_wildcard(components[first])) base /= components[first++];
  std::vector<fs::path> found;
  glob(base, std::vector<std::string>(components.begin() + static_cast<std::ptrdiff_t>(first), components.end()), 0,
       found);
  if (found.empty()) throw Error(Code::read_failed, {pattern, 0, 0}, "no file matches this pattern");
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace

bool matches_wildcard(std::string_view pattern, std::string_view name) {
  // Iterative, with one backtrack point: linear for the patterns people type, never exponential.
  std::size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::vector<std::string> expand_config_arguments(const std::vector<std::string>& arguments) {
  std::vector<std::string> expanded;
  std::set<fs::path> seen;  // thousands of files: no quadratic search
  const auto add = [&](const fs::path& path) {
    std::error_code error;
    auto identity = fs::weakly_canonical(path, error);
    if (error) identity = path;
    if (seen.insert(identity).second) expanded.push_back(path.string());
  };
  for (const auto& argument : arguments) {
    std::error_code error;
    if (fs::is_directory(argument, error)) {
      std::vector<fs::path> found;
      configs_below(argument, found);
      if (found.empty()) {
        throw Error(Code::read_failed, {argument, 0, 0}, "no web.config or web.*.config in this folder or below");
      }
      std::sort(found.begin(), found.end());
      for (const auto& path : found) add(path);
    } else if (has_wildcard(argument) && !fs::exists(argument, error)) {
      for (const auto& path : expand_pattern(argument)) add(path);
    } else {
      add(argument);
    }
  }
  return expanded;
}

}  // namespace ptvsd::files
