// Where a project's web.debug.config lives. A user-owned file (or one the Visual Studio tools
// generated) sits in the project folder; the one a publish generates when MSBuild drives it goes
// to obj/ptvsd-publish/, so the secret stays out of the source tree. publish, url and check look in
// the same places, in the same order.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace ptvsd {

inline constexpr std::string_view debug_config_name = "web.debug.config";
// Relative to the project folder: MSBuild's default $(BaseIntermediateOutputPath) plus our folder.
inline constexpr std::string_view generated_debug_config_folder = "obj/ptvsd-publish";

// The project's own web.debug.config (any ASCII case), else the generated one under
// obj/ptvsd-publish/; nullopt when neither exists.
std::optional<std::filesystem::path> find_debug_config(const std::filesystem::path& project);

}  // namespace ptvsd
