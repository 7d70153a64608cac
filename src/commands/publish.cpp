// `publish`: the job MSBuild runs on every Debug publish. One run holds the project's lock, makes a
// new secret, and updates web.debug.config (see core/debug_config.h). The secret goes only into
// the file; the summary on stderr never shows it.
#include <iostream>

#include "commands/commands.h"
#include "core/config_edit.h"
#include "core/debug_config.h"
#include "core/diagnostics.h"
#include "core/files.h"

namespace ptvsd {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view debug_config_name = "web.debug.config";
constexpr std::string_view lock_file_name = ".ptvsd-publish.lock";

// A name is looked up among the installed templates; anything that looks like a path is a path.
fs::path resolve_template(const std::string& name_or_path) {
  const bool is_path = name_or_path.find_first_of("/\\") != std::string::npos ||
                       fs::path(name_or_path).extension() == ".config";
  const auto path = is_path ? fs::path(name_or_path)
                            : files::templates_directory() / (name_or_path + ".config");
  std::error_code error;
  if (!fs::exists(path, error)) {
    throw Error(Code::template_missing, {path.string(), 0, 0},
                "template not found (a name from " + files::templates_directory().string() +
                    ", or a path to a .config file)");
  }
  return path;
}

std::string describe(DebugConfigAction action, const std::string& template_name) {
  switch (action) {
    case DebugConfigAction::created:
      return "created from template '" + template_name + "'";
    case DebugConfigAction::regenerated:
      return "regenerated from template '" + template_name + "'";
    case DebugConfigAction::secret_replaced:
      return "user-owned (no generated-file marker): replaced only the secret's value";
    case DebugConfigAction::left_alone:
      break;
  }
  return "left alone";
}

}  // namespace

int run_publish(const Command& self, const Arguments& arguments) {
  std::string project = ".";
  std::string template_name = "classic";
  std::size_t secret_bytes = 0;
  double lock_timeout = 60;
  po::options_description options;
  options.add_options()
      ("project", po::value(&project)->default_value(project),
       "the web project's folder; web.debug.config is written there")
      ("template", po::value(&template_name)->default_value(template_name),
       "an installed template's name, or the path of an XDT template file")
      ("regenerate", "rewrite web.debug.config from the template even when it is user-owned "
                     "(MSBuild: AlwaysRegenerateWebDebugConfig)")
      ("lock-timeout", po::value(&lock_timeout)->default_value(lock_timeout),
       "seconds to wait for another publish of the same project to finish");
  add_secret_bytes_option(options, secret_bytes);
  po::variables_map values;
  if (!parse_command_line(self, arguments, options, values)) return 0;

  const fs::path folder(project);
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw Error(Code::not_a_directory, {project, 0, 0}, "--project must name an existing folder");
  }
  auto secret = Secret::generate(secret_bytes);
  const auto template_path = resolve_template(template_name);
  const auto template_bytes = files::read(template_path);
  const XmlText template_text(template_bytes, template_path.string(), XmlText::Whitespace::keep);

  const files::ProjectLock lock(folder / lock_file_name,
                                std::chrono::milliseconds(static_cast<long long>(lock_timeout * 1000)));
  const auto found = files::find_case_insensitive(folder, debug_config_name);
  const auto config_path = found.value_or(folder / debug_config_name);
  std::string existing_bytes;
  std::optional<XmlText> existing;
  if (found) {
    existing_bytes = files::read(config_path);
    existing.emplace(existing_bytes, config_path.string());
  }
  const auto update = update_debug_config(existing, template_text, secret, values.count("regenerate") != 0);
  if (update.action == DebugConfigAction::left_alone) {
    std::cerr << format_diagnostic(Severity::warning, Code::missing_secret, {config_path.string(), 0, 0},
                                   "user-owned web.debug.config has no WSGI_PTVSD_SECRET app setting; "
                                   "left unchanged (add one, restore the generated-file marker, or "
                                   "publish with --regenerate)")
              << "\n";
    return 0;
  }
  files::AtomicFile out(config_path);
  out.write(update.contents.str());
  out.commit();
  std::cerr << "ptvsd-publish: " << config_path.string() << ": "
            << describe(update.action, template_path.stem().string()) << "; new "
            << secret.bits() << "-bit secret written (not shown)\n";
  return 0;
}

}  // namespace ptvsd
