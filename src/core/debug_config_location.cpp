#include "core/debug_config_location.h"

#include "core/files.h"

namespace ptvsd {

std::optional<std::filesystem::path> find_debug_config(const std::filesystem::path& project) {
  if (auto own = files::find_case_insensitive(project, debug_config_name)) return own;
  return files::find_case_insensitive(project / generated_debug_config_folder, debug_config_name);
}

}  // namespace ptvsd
