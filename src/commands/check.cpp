// `check`: will remote debugging work? Reads the project's web.debug.config and/or a publish
// output and reports each problem with its own exit code and a one-line fix (core/site_check.h).
// Never prints the secret.
#include <algorithm>

#include "commands/commands.h"
#include "core/config_edit.h"
#include "core/files.h"
#include "core/site_check.h"

namespace ptvsd {

namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_if_exists(const fs::path& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) return std::nullopt;
  return files::read(path);
}

std::vector<Finding> check_project(const fs::path& project) {
  std::error_code error;
  if (!fs::is_directory(project, error)) {
    throw Error(Code::not_a_directory, {project.string(), 0, 0}, "--project must name an existing folder");
  }
  const auto path = files::find_case_insensitive(project, "web.debug.config");
  if (!path) {
    return {{check_exit::secret_missing,
             {Severity::error, Code::check_secret_missing, {(project / "web.debug.config").string(), 0, 0},
              "no web.debug.config: publish in Debug (or run ptvsd-publish publish) to create it"}}};
  }
  const auto text = files::read(*path);
  return check_transform(XmlText(text, path->string()));
}

std::vector<Finding> check_web_config(const XmlText& config, const fs::path& site_root) {
  return check_site_config(config, [&](std::string_view relative) {
    std::error_code error;
    return fs::is_regular_file(site_root / fs::path(relative), error);
  });
}

std::vector<Finding> check_web_config_file(const fs::path& path) {
  const auto text = files::read(path);
  return check_web_config(XmlText(text, path.string()), path.parent_path());
}

// The packaged proxy is checked where there is one to check: our publish put it (or its manifest)
// there, or a handler runs it under HttpPlatformHandler.
std::vector<Finding> check_publish_dir(const fs::path& out) {
  const auto web_config_path = out / "web.config";
  const auto text = files::read(web_config_path);
  const XmlText web_config(text, web_config_path.string());
  auto findings = check_web_config(web_config, out);
  const auto proxy = out / "bin" / platform::executable_file_name("ptvsd-proxy");
  const auto manifest = fs::path(proxy.string() + ".sha256");
  const auto proxy_bytes = read_if_exists(proxy);
  const auto manifest_text = read_if_exists(manifest);
  const bool expected =
      proxy_bytes || manifest_text ||
      web_config.document().select_node("//handlers/add[@name='ptvsd'][@modules='httpPlatformHandler']");
  if (expected) {
    for (auto& finding : check_proxy_package(proxy.string(), proxy_bytes, manifest.string(), manifest_text)) {
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

}  // namespace

int run_check(const Command& self, const Arguments& arguments, Context& context) {
  std::string project;
  std::string publish_dir;
  std::vector<std::string> configs;
  po::options_description options;
  options.add_options()
      ("project", po::value(&project), "a project folder: checks its web.debug.config")
      ("publish-dir", po::value(&publish_dir),
       "a publish output: checks its web.config, handler, packaged proxy and manifest")
      ("config", po::value(&configs), "a deployed web.config to check (repeatable, positional)");
  po::variables_map values;
  if (!parse_command_line(self, arguments, options, values, context, "config")) return 0;
  if (project.empty() && publish_dir.empty() && configs.empty()) project = ".";

  std::vector<Finding> findings;
  const auto add = [&](std::vector<Finding> more) {
    for (auto& finding : more) findings.push_back(std::move(finding));
  };
  if (!project.empty()) add(check_project(project));
  if (!publish_dir.empty()) add(check_publish_dir(publish_dir));
  for (const auto& config : configs) add(check_web_config_file(config));

  int exit_code = 0;
  int problems = 0;
  for (auto& finding : findings) {
    if (finding.exit_code != 0) {
      ++problems;
      exit_code = exit_code == 0 ? finding.exit_code : std::min(exit_code, finding.exit_code);
    }
    context.report.diagnostics.push_back(std::move(finding.diagnostic));
  }
  context.report.notes.push_back(problems == 0 ? "remote debugging looks ready"
                                               : std::to_string(problems) + " problem" +
                                                     (problems == 1 ? "" : "s") + " found");
  return exit_code;
}

}  // namespace ptvsd
