// `publish`: the job MSBuild runs on every Debug publish. It makes a new secret, updates
// web.debug.config (see core/debug_config.h) and, with --publish-dir, packages the proxy with its
// manifest. Everything is read and checked first (the config under the lock), then decided
// (plan_publish, publish.h), and the executor replaces all files together (files::replace_all).
// The secret goes only into the file; stderr never shows it.
#include "commands/publish.h"

#include <memory>

#include "commands/commands.h"
#include "core/ascii.h"
#include "core/config_edit.h"
#include "core/debug_config.h"
#include "core/debug_config_location.h"
#include "core/diagnostics.h"

namespace ptvsd {

namespace {

namespace fs = std::filesystem;

struct PublishOptions {
  std::string project = ".";
  // The native proxy checks the secret itself and ships with the tool; the classic handler needs
  // an assembly from the Visual Studio tools that we do not package.
  std::string template_name = "native";
  bool regenerate = false;
  std::string publish_dir;  // empty: package nothing
  std::string proxy;        // empty: the win-x64 one installed with the tool (files::site_proxy_path)
  std::string web_config;   // empty: none to check
  std::string output_dir;   // where a new web.debug.config goes; empty: the project folder
};

// A name is looked up among the installed templates; anything that looks like a path is a path.
fs::path resolve_template(const std::string& name_or_path) {
  const bool is_path = name_or_path.find_first_of("/\\") != std::string::npos ||
                       fs::path(name_or_path).extension() == ".config";
  const auto path = is_path ? fs::path(name_or_path) : files::templates_directory() / (name_or_path + ".config");
  if (files::kind_of(path) == files::Kind::absent) {
    throw Error(Code::template_missing, {path.string(), 0, 0},
                "template not found (a name from " + files::templates_directory().string() +
                    ", or a path to a .config file)");
  }
  return path;
}

std::string describe(DebugConfigAction action, const std::string& template_name) {
  switch (action) {
    case DebugConfigAction::created: return "created from template '" + template_name + "'";
    case DebugConfigAction::regenerated: return "regenerated from template '" + template_name + "'";
    case DebugConfigAction::secret_replaced:
      return "user-owned (no generated-file marker): replaced only the secret's value";
    case DebugConfigAction::left_alone: break;
  }
  return "left alone";
}

// The manifest the build wrote beside the installed proxy, if it is there. A proxy given with
// --proxy is hashed: nothing tells its manifest from a stale one.
std::optional<ShippedManifest> shipped_manifest(const fs::path& installed_proxy) {
  auto path = installed_proxy.string() + std::string(manifest_suffix);
  auto contents = files::read_if_exists(path);
  if (!contents) return std::nullopt;
  return ShippedManifest{contents->bytes.str(), std::move(path)};
}

// The site's proxy, ready for <publish-dir>/bin/. Only its first chunk is read when the build
// shipped its manifest, every chunk (hashed) otherwise; it is copied later, not held.
std::optional<PackagedProxy> proxy_to_package(const PublishOptions& options) {
  if (options.publish_dir.empty()) return std::nullopt;
  const auto source = options.proxy.empty() ? files::site_proxy_path() : fs::path(options.proxy);
  if (!files::exists(source)) {
    throw Error(Code::proxy_missing, {source.string(), 0, 0},
                "the proxy to package does not exist (install the win-x64 ptvsd-proxy.exe with the "
                "tool, or pass --proxy)");
  }
  auto shipped = options.proxy.empty() ? shipped_manifest(source) : std::nullopt;
  std::string head;
  Sha256 hash;
  const auto version = files::read_in_chunks(source, [&](std::string_view chunk) {
    if (head.empty()) head = chunk;
    if (!shipped) hash.add(chunk);
    return !shipped;
  });
  auto manifest = shipped ? checked_manifest_line(std::move(*shipped)) : manifest_line(packaged_proxy_name, hash.hex());
  return package_proxy(version, head, options.publish_dir, std::move(manifest));
}

// Whether the publish output holds this proxy and manifest already: publishing again is then a
// byte-for-byte comparison, not a copy (as MSBuild's PreserveNewest skips an unchanged file). The
// files left are flushed to disk, as the copies would have been.
bool up_to_date(const PackagedProxy& proxy) {
  if (!files::already_holds(proxy.manifest.path, std::string_view(proxy.manifest.bytes)) ||
      !files::already_holds(proxy.binary, proxy.source)) {
    return false;
  }
  files::make_durable({proxy.manifest.path, proxy.binary});
  return true;
}

PublishOptions publish_options_from(const po::variables_map& values) {
  PublishOptions options;
  options.project = values["project"].as<std::string>();
  options.output_dir = text_option(values, "debug-config-dir");
  options.template_name = values["template"].as<std::string>();
  options.regenerate = values["regenerate"].as<bool>();
  options.publish_dir = text_option(values, "publish-dir");
  options.proxy = text_option(values, "proxy");
  options.web_config = text_option(values, "check-web-config");
  return options;
}

// What publish reads before it takes the lock, kept (at a fixed address: the parsed template
// points into its bytes) for the step that decides under it.
struct Prepared {
  explicit Prepared(Secret new_secret) : secret(std::move(new_secret)) {}
  Secret secret;
  std::string template_bytes;
  std::optional<XmlText> template_text;
  PublishInputs inputs;
};

}  // namespace

bool looks_like_a_project(const std::vector<std::string>& names) {
  for (const auto& name : names) {
    if (equal_ignoring_ascii_case(name, "web.config")) return true;
    const auto extension = fs::path(name).extension().string();
    if (extension.size() > 4 && extension.compare(extension.size() - 4, 4, "proj") == 0) return true;
  }
  return false;
}

Plan plan_publish(PublishInputs inputs, const XmlText& template_text, const Secret& secret) {
  Plan plan;
  std::optional<XmlText> existing;
  if (inputs.existing) existing.emplace(inputs.existing->bytes.str(), inputs.config_path.string());
  auto update = update_debug_config(existing, template_text, secret, inputs.regenerate);
  auto& decided = plan.decided;
  auto& done = plan.done;
  const auto config = inputs.config_path.string();
  decided.template_name = inputs.template_path.stem().string();
  decided.details.push_back("template " + inputs.template_path.string());
  decided.details.push_back("lock " + (inputs.output_folder / files::lock_file_name).string() + " taken");
  decided.details.push_back(config + (!existing                         ? ": absent"
                                      : has_generated_marker(*existing) ? ": has the generated-file marker"
                                                                        : ": user-owned (no generated-file marker)"));
  std::string packaged;
  if (inputs.proxy && inputs.proxy_up_to_date) {
    packaged = inputs.proxy->binary.string() + " and its SHA-256 manifest are up to date (compared byte for byte)";
  } else if (inputs.proxy) {
    auto& proxy = *inputs.proxy;
    packaged = "packaged " + proxy.binary.string() + " with its SHA-256 manifest " +
               proxy.manifest.path.filename().string() + " (both read back before replacing)";
    plan.new_folders.push_back(proxy.binary.parent_path());
    // replace_all compares every copy with its source before any is renamed, so the packaged
    // bytes are the installed ones the manifest belongs to.
    plan.files.push_back({proxy.manifest.path, SensitiveString(std::move(proxy.manifest.bytes)), proxy.manifest.mode});
    plan.files.push_back({proxy.binary, proxy.source, proxy.source.mode & fs::perms::mask});
  }
  if (update.action == DebugConfigAction::left_alone) {
    decided.diagnostics.push_back({Severity::warning,
                                   Code::missing_secret,
                                   {config, 0, 0},
                                   "user-owned web.debug.config has no WSGI_PTVSD_SECRET app setting; "
                                   "left unchanged (add one, restore the generated-file marker, or "
                                   "publish with --regenerate)"});
  } else {
    plan.files.push_back({inputs.config_path, std::move(update.contents), files::owner_only, false,
                          inputs.existing ? std::optional(inputs.existing->identity) : std::nullopt});
    decided.add_secret(config, secret.reveal());  // masked and delivered with the files
  }

  for (const auto& file : plan.files) done.written.push_back(file.path.string());
  if (!inputs.existing && !inputs.looks_like_a_project) {
    done.diagnostics.push_back({Severity::warning,
                                Code::not_a_project,
                                {inputs.folder.string(), 0, 0},
                                "no web.config and no project file (*.pyproj, ...) here; created " + config + " and " +
                                    (inputs.output_folder / files::lock_file_name).string() +
                                    ". Not a project? Remove them and give --project DIR"});
  }
  if (update.action != DebugConfigAction::left_alone) {
    done.secret_bits = secret.bits();
    done.notes.push_back(config + ": " + describe(update.action, decided.template_name) + "; new " +
                         std::to_string(secret.bits()) + "-bit secret written (not shown)");
  }
  if (!packaged.empty()) done.notes.push_back(packaged);
  return plan;
}

void publish_options(po::options_description& options) {
  const PublishOptions defaults;
  // One option a line, as --help prints them; clang-format would pack the chain.
  // clang-format off
  options.add_options()
      ("project", po::value<std::string>()->default_value(defaults.project)->value_name("DIR"),
       "the web project's folder; its own web.debug.config (if any) is updated in place")
      ("debug-config-dir", po::value<std::string>()->value_name("DIR"),
       "where web.debug.config is written when the project folder holds none, with the lock "
       "(default: the project folder; MSBuild passes obj/ptvsd-publish, where url and check "
       "also look)")
      ("template", po::value<std::string>()->default_value(defaults.template_name)->value_name("NAME|PATH"),
       "an installed template's name, or the path of an XDT template file")
      ("regenerate", po::bool_switch(),
       "rewrite web.debug.config from the template even when it is user-owned "
       "(MSBuild: AlwaysRegenerateWebDebugConfig)")
      ("publish-dir", po::value<std::string>()->value_name("DIR"),
       "the publish output: the proxy and its SHA-256 manifest go to <dir>/bin/")
      ("proxy", po::value<std::string>()->value_name("FILE"),
       "the proxy to package for the site, a Windows x64 program (default: the win-x64 "
       "ptvsd-proxy.exe installed with this tool, <prefix>/share/ptvsd-publish/site/win-x64)")
      ("check-web-config", po::value<std::string>()->value_name("FILE"),
       "a web.config the transform will be applied to: fail before writing anything if XDT "
       "could not apply it (malformed, or a namespaced <configuration>)");
  // clang-format on
}

Work publish_work(const Command& self, const Arguments& arguments, Context& context) {
  po::variables_map values;
  if (!parse_command_line(self, arguments, values, context)) return {};
  const auto options = publish_options_from(values);

  const auto folder = fs::path(options.project).make_preferred();  // as in package_proxy
  if (files::kind_of(folder) != files::Kind::folder) {
    throw Error(Code::not_a_directory, {options.project, 0, 0}, "--project must name an existing folder");
  }
  const auto prepared = std::make_shared<Prepared>(Secret::generate(context.secret_bytes));
  auto& inputs = prepared->inputs;
  inputs.template_path = resolve_template(options.template_name);
  prepared->template_bytes = files::read(inputs.template_path);
  prepared->template_text.emplace(prepared->template_bytes, inputs.template_path.string(), XmlText::Whitespace::keep);
  if (!options.web_config.empty()) {
    const auto web_config = files::read(options.web_config);
    require_transformable(XmlText(web_config, options.web_config));
  }
  inputs.proxy = proxy_to_package(options);
  inputs.folder = folder;
  // The lock lives with the generated file, so a project folder gets no file of ours at all.
  inputs.output_folder = options.output_dir.empty() ? folder : fs::path(options.output_dir);
  inputs.regenerate = options.regenerate;

  Step step;
  step.folders_to_lock = [output_folder = inputs.output_folder] { return std::vector{output_folder}; };
  step.create_lock_folders = !options.output_dir.empty();
  step.decide = [prepared] {
    auto& read = prepared->inputs;
    read.config_path =
        files::find_case_insensitive(read.folder, debug_config_name).value_or(read.output_folder / debug_config_name);
    read.existing = files::read_if_exists(read.config_path);
    read.looks_like_a_project = read.existing || looks_like_a_project(files::names_in(read.folder));
    read.proxy_up_to_date = read.proxy && up_to_date(*read.proxy);
    return plan_publish(std::move(read), *prepared->template_text, prepared->secret);
  };
  Work work;
  work.steps.push_back(std::move(step));
  return work;
}

}  // namespace ptvsd
