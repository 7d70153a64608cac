#include "core/files_search.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/diagnostics.h"

namespace ptvsd::files {

namespace {

namespace fs = std::filesystem;

bool has_wildcard(std::string_view text) { return text.find_first_of("*?") != std::string_view::npos; }

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool is_config_name(const fs::path& path) {
  const auto name = lower(path.filename().string());
  return name == "web.config" || (matches_wildcard("web.*.config", name));
}

void configs_below(const fs::path& directory, std::vector<fs::path>& found) {
  std::error_code error;
  for (fs::recursive_directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    if (it->is_regular_file(error) && is_config_name(it->path())) found.push_back(it->path());
  }
}

// Matches `components[index...]` below `base`, appending every file matched.
void glob(const fs::path& base, const std::vector<std::string>& components, std::size_t index,
          std::vector<fs::path>& found) {
  std::error_code error;
  if (index == components.size()) {
    if (fs::is_regular_file(base, error)) found.push_back(base);
    return;
  }
  const auto& component = components[index];
  if (component == "**") {
    glob(base, components, index + 1, found);  // zero folders
    for (fs::recursive_directory_iterator it(base, error), end; !error && it != end; it.increment(error)) {
      if (it->is_directory(error)) glob(it->path(), components, index + 1, found);
    }
    return;
  }
  if (!has_wildcard(component)) {
    glob(base / component, components, index + 1, found);
    return;
  }
  for (fs::directory_iterator it(base.empty() ? "." : base, error), end; !error && it != end; it.increment(error)) {
    const auto name = it->path().filename().string();
    if (name[0] == '.' && component[0] != '.') continue;  // as shells do: hidden files need a dot
    if (matches_wildcard(component, name)) glob(base / name, components, index + 1, found);
  }
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
  glob(base, std::vector<std::string>(components.begin() + static_cast<std::ptrdiff_t>(first), components.end()),
       0, found);
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
