// `publish`: the job MSBuild runs on every Debug publish. Under the project's lock it makes a new
// secret, updates web.debug.config (see core/debug_config.h) and, with --publish-dir, packages the
// proxy with its manifest. Everything is read and checked first, then all files are replaced
// together (files::replace_all). The secret goes only into the file; stderr never shows it.
#include <iostream>

#include "commands/commands.h"
#include "core/config_edit.h"
#include "core/debug_config.h"
#include "core/diagnostics.h"
#include "core/files.h"
#include "core/package.h"

namespace ptvsd {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view debug_config_name = "web.debug.config";
constexpr std::string_view lock_file_name = ".ptvsd-publish.lock";
constexpr std::string_view proxy_stem = "ptvsd-proxy";

struct PublishOptions {
  std::string project = ".";
  // The native proxy checks the secret itself and ships with the tool; the classic handler needs
  // an assembly from the Visual Studio tools that we do not package.
  std::string template_name = "native";
  long long secret_bytes = 0;
  double lock_timeout = 60;
  bool regenerate = false;
  std::string publish_dir;  // empty: package nothing
  std::string proxy;        // empty: the one installed beside the tool
  std::string web_config;   // empty: none to check
};

// A file to write, and the mode it gets if it is new.
struct Output {
  fs::path path;
  SensitiveString contents;
  fs::perms new_file_mode = files::owner_only;
};

std::optional<SensitiveString> read_if_exists(const fs::path& path) {
  std::error_code error;
  if (!fs::exists(fs::symlink_status(path, error))) return std::nullopt;
  return SensitiveString(files::read(path));
}

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

struct PackagedProxy {
  Output manifest;
  Output binary;
};

// The proxy binary and its manifest in <publish-dir>/bin/, keeping the source's mode so the copy
// stays executable.
PackagedProxy package_proxy(const PublishOptions& options) {
  const auto source = options.proxy.empty()
                          ? platform::executable_path().parent_path() /
                                platform::executable_file_name(proxy_stem)
                          : fs::path(options.proxy);
  std::error_code error;
  if (!fs::exists(source, error)) {
    throw Error(Code::proxy_missing, {source.string(), 0, 0},
                "the proxy to package does not exist (install it beside the tool, or pass --proxy)");
  }
  std::string bytes = files::read(source);
  const auto bin = fs::path(options.publish_dir) / "bin";
  const auto name = platform::executable_file_name(proxy_stem);  // what the templates point at
  const auto readable_by_all =
      fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;
  Output manifest{bin / (name + std::string(manifest_suffix)), SensitiveString(manifest_for(name, bytes)),
                  readable_by_all};
  const auto mode = fs::status(source).permissions() & fs::perms::mask;
  return {std::move(manifest), {bin / name, SensitiveString(std::move(bytes)), mode}};
}

// replace_all reads every file back before any is renamed, so the packaged bytes are the ones the
// manifest was computed from.
void replace_together(const std::vector<Output>& outputs) {
  std::vector<files::Replacement> replacements;
  for (const auto& output : outputs) {
    replacements.push_back({output.path, output.contents.str(), output.new_file_mode});
  }
  files::replace_all(replacements);
}

PublishOptions parse_publish_options(const Command& self, const Arguments& arguments, Context& context,
                                     bool& help) {
  PublishOptions options;
  po::options_description described;
  described.add_options()
      ("project", po::value(&options.project)->default_value(options.project),
       "the web project's folder; web.debug.config is written there")
      ("template", po::value(&options.template_name)->default_value(options.template_name),
       "an installed template's name, or the path of an XDT template file")
      ("regenerate", po::bool_switch(&options.regenerate),
       "rewrite web.debug.config from the template even when it is user-owned "
       "(MSBuild: AlwaysRegenerateWebDebugConfig)")
      ("publish-dir", po::value(&options.publish_dir),
       "the publish output: the proxy and its SHA-256 manifest go to <dir>/bin/")
      ("proxy", po::value(&options.proxy),
       "the proxy binary to package (default: ptvsd-proxy installed beside this tool)")
      ("check-web-config", po::value(&options.web_config),
       "a web.config the transform will be applied to: fail before writing anything if XDT "
       "could not apply it (malformed, or a namespaced <configuration>)")
      ("lock-timeout", po::value(&options.lock_timeout)->default_value(options.lock_timeout),
       "seconds to wait for another publish of the same project to finish");
  add_secret_bytes_option(described, options.secret_bytes);
  po::variables_map values;
  help = !parse_command_line(self, arguments, described, values, context);
  return options;
}

}  // namespace

int run_publish(const Command& self, const Arguments& arguments, Context& context) {
  bool help = false;
  const auto options = parse_publish_options(self, arguments, context, help);
  if (help) return 0;

  const auto lock_timeout = lock_timeout_from(options.lock_timeout);
  const fs::path folder(options.project);
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw Error(Code::not_a_directory, {options.project, 0, 0}, "--project must name an existing folder");
  }
  auto secret = Secret::generate(options.secret_bytes);
  const auto template_path = resolve_template(options.template_name);
  const auto template_bytes = files::read(template_path);
  const XmlText template_text(template_bytes, template_path.string(), XmlText::Whitespace::keep);
  if (!options.web_config.empty()) {
    const auto web_config = files::read(options.web_config);
    require_transformable(XmlText(web_config, options.web_config));
  }
  std::vector<Output> outputs;
  std::string packaged;
  if (!options.publish_dir.empty()) {
    auto proxy = package_proxy(options);
    packaged = "packaged " + proxy.binary.path.string() + " with its SHA-256 manifest " +
               proxy.manifest.path.filename().string() + " (both read back before replacing)";
    outputs.push_back(std::move(proxy.manifest));
    outputs.push_back(std::move(proxy.binary));
  }

  const auto lock_path = folder / lock_file_name;
  const files::ProjectLock lock(lock_path, lock_timeout, [&] {
    // Said now, not in the report: the person watching needs to know why nothing happens.
    if (context.output.format == Format::text && !context.output.quiet) {
      std::cerr << "ptvsd-publish: " << lock_path.string()
                << ": another publish of this project is running; waiting up to "
                << options.lock_timeout << " s\n";
    }
  });
  const auto config_path = files::find_case_insensitive(folder, debug_config_name)
                               .value_or(folder / debug_config_name);
  auto existing_bytes = read_if_exists(config_path);
  std::optional<XmlText> existing;
  if (existing_bytes) existing.emplace(existing_bytes->str(), config_path.string());
  auto update = update_debug_config(existing, template_text, secret, options.regenerate);
  auto& report = context.report;
  report.template_name = template_path.stem().string();
  report.details.push_back("template " + template_path.string());
  report.details.push_back("lock " + lock_path.string() + " taken");
  report.details.push_back(config_path.string() + (!existing ? ": absent"
                                                   : has_generated_marker(*existing)
                                                       ? ": has the generated-file marker"
                                                       : ": user-owned (no generated-file marker)"));
  if (update.action == DebugConfigAction::left_alone) {
    report.diagnostics.push_back({Severity::warning, Code::missing_secret, {config_path.string(), 0, 0},
                                  "user-owned web.debug.config has no WSGI_PTVSD_SECRET app setting; "
                                  "left unchanged (add one, restore the generated-file marker, or "
                                  "publish with --regenerate)"});
  } else {
    outputs.push_back({config_path, std::move(update.contents)});
  }
  std::optional<files::NewFolder> bin;
  if (!options.publish_dir.empty()) bin.emplace(fs::path(options.publish_dir) / "bin");
  replace_together(outputs);
  if (bin) bin->keep();

  for (const auto& output : outputs) report.written.push_back(output.path.string());
  if (update.action != DebugConfigAction::left_alone) {
    report.secret_bits = secret.bits();
    report.add_secret(config_path.string(), secret.reveal());
    report.notes.push_back(config_path.string() + ": " + describe(update.action, report.template_name) +
                           "; new " + std::to_string(secret.bits()) + "-bit secret written (not shown)");
  }
  if (!packaged.empty()) report.notes.push_back(packaged);
  return 0;
}

}  // namespace ptvsd
