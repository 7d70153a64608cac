// `check`: will remote debugging work? Reads the project's web.debug.config and/or a publish
// output and reports each problem with its own exit code and a one-line fix (core/site_check.h).
// Never prints the secret.
#include <algorithm>

#include "commands/commands.h"
#include "core/config_edit.h"
#include "core/debug_config_location.h"
#include "core/files.h"
#include "core/package.h"
#include "core/site_check.h"

namespace ptvsd {

namespace {

namespace fs = std::filesystem;

// For the packaged proxy and its manifest, which hold no secret: the bytes leave the wiped buffer.
std::optional<std::string> bytes_if_exists(const fs::path& path) {
  auto contents = files::read_if_exists(path);
  if (!contents) return std::nullopt;
  return std::move(contents->bytes.mutable_str());
}

std::vector<Finding> check_project(const fs::path& project) {
  if (files::kind_of(project) != files::Kind::folder) {
    throw Error(Code::not_a_directory, {project.string(), 0, 0}, "--project must name an existing folder");
  }
  const auto path = find_debug_config(project);
  if (!path) {
    return {check_finding(Code::check_secret_missing, {(project / debug_config_name).string(), 0, 0},
                          "no such file here nor in " + std::string(generated_debug_config_folder) +
                              "/: publish in Debug (or run ptvsd-publish publish) to create it")};
  }
  const auto text = files::read(*path);
  return check_transform(XmlText(text, path->string()));
}

std::vector<Finding> check_web_config(const XmlText& config, const fs::path& site_root) {
  return check_site_config(config, [&](std::string_view relative) {
    return files::kind_of(site_root / fs::path(relative)) == files::Kind::file;
  });
}

std::vector<Finding> check_web_config_file(const fs::path& path) {
  const auto text = files::read(path);
  return check_web_config(XmlText(text, path.string()), path.parent_path());
}

// The packaged proxy is checked where there is one to check: our publish put it (or its manifest)
// there, or a handler runs it under HttpPlatformHandler.
std::vector<Finding> check_publish_dir(const fs::path& out) {
  if (files::kind_of(out) != files::Kind::folder) {
    throw Error(Code::not_a_directory, {out.string(), 0, 0},
                "--publish-dir must name an existing folder (a publish output holding web.config)");
  }
  const auto web_config_path = out / "web.config";
  const auto text = files::read(web_config_path);
  const XmlText web_config(text, web_config_path.string());
  auto findings = check_web_config(web_config, out);
  const auto proxy = out / packaged_proxy_folder / packaged_proxy_name;
  const auto manifest = fs::path(proxy.string() + std::string(manifest_suffix));
  const auto proxy_bytes = bytes_if_exists(proxy);
  const auto manifest_text = bytes_if_exists(manifest);
  if (proxy_bytes || manifest_text || runs_packaged_proxy(web_config)) {
    for (auto& finding : check_proxy_package(proxy.string(), proxy_bytes, manifest.string(), manifest_text)) {
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

}  // namespace

void check_options(po::options_description& options) {
  // One option a line, as --help prints them; clang-format would pack the chain.
  // clang-format off
  options.add_options()
      ("project", po::value<std::string>()->value_name("DIR"), "a project folder: checks its web.debug.config (or obj/ptvsd-publish/web.debug.config)")
      ("publish-dir", po::value<std::string>()->value_name("DIR"),
       "a publish output: checks its web.config, handler, packaged proxy and manifest")
      ("config", po::value<std::vector<std::string>>()->value_name("FILE"), "a deployed web.config to check (repeatable, positional)");
  // clang-format on
}

int run_check(const Command& self, const Arguments& arguments, Context& context) {
  po::variables_map values;
  if (!parse_command_line(self, arguments, values, context)) return 0;
  auto project = text_option(values, "project");
  const auto publish_dir = text_option(values, "publish-dir");
  const auto configs = values.count("config") != 0 ? values["config"].as<std::vector<std::string>>()
                                                   : std::vector<std::string>();
  if (project.empty() && publish_dir.empty() && configs.empty()) project = ".";

  std::vector<Finding> findings;
  const auto add = [&](std::vector<Finding> more) {
    for (auto& finding : more) findings.push_back(std::move(finding));
  };
  // In the system's separators, as are the names appended to them in messages.
  if (!project.empty()) add(check_project(fs::path(project).make_preferred()));
  if (!publish_dir.empty()) add(check_publish_dir(fs::path(publish_dir).make_preferred()));
  for (const auto& config : configs) add(check_web_config_file(config));

  int exit_code = 0;
  int problems = 0;
  for (auto& finding : findings) {
    if (finding.exit_code() != 0) {
      ++problems;
      exit_code = exit_code == 0 ? finding.exit_code() : std::min(exit_code, finding.exit_code());
    }
    context.report.diagnostics.push_back(std::move(finding.diagnostic));
  }
  context.report.notes.push_back(problems == 0
                                     ? "remote debugging looks ready"
                                     : std::to_string(problems) + " problem" + (problems == 1 ? "" : "s") + " found");
  return exit_code;
}

}  // namespace ptvsd
