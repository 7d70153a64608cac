// What a publish decides, from values only: the pure half of `publish` (publish.cpp reads the
// inputs, under the lock where it must), tested without a disk in tests/unit/plan_test.cpp.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "commands/plan.h"
#include "core/files.h"
#include "core/package.h"
#include "core/secret.h"
#include "core/xml_text.h"

namespace ptvsd {

struct PublishInputs {
  std::filesystem::path folder;         // --project, in the system's separators
  std::filesystem::path output_folder;  // where a new web.debug.config and the lock go
  std::filesystem::path template_path;
  bool regenerate = false;
  std::filesystem::path config_path;        // the project's web.debug.config, or where a new one goes
  std::optional<files::Contents> existing;  // that file as read under the lock, if there is one
  bool looks_like_a_project = true;         // the folder holds a web.config or a project file
  std::optional<PackagedProxy> proxy;       // --publish-dir: the proxy and manifest to package
  bool proxy_up_to_date = false;            // the publish output holds both already, byte for byte
};

// The files (manifest, proxy, web.debug.config, in that order; the proxy and manifest only if
// not up to date, the config only if its secret is replaced), bin/ as a new folder when
// packaging, and the report: template, details, the new secret, a warning for a user-owned config
// without the setting, what was written, the summary. Throws for a malformed existing config.
Plan plan_publish(PublishInputs inputs, const XmlText& template_text, const Secret& secret);

// A folder with neither a web.config nor a project file (*.pyproj, *.csproj, ...) among `names` is
// plainly not a web project: most likely --project is missing or wrong.
bool looks_like_a_project(const std::vector<std::string>& names);

}  // namespace ptvsd
