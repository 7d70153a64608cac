// `rotate`: a new secret in existing configs, by hand or from a pipeline. Every file is read,
// checked and spliced in memory first; only when all succeeded is any file replaced.
#include <algorithm>
#include <iostream>

#include "commands/commands.h"
#include "core/config_edit.h"
#include "core/diagnostics.h"
#include "core/files.h"

namespace ptvsd {

namespace {

namespace fs = std::filesystem;

// The same file named twice (or through a link) is rotated once.
std::vector<std::string> distinct_files(const std::vector<std::string>& names) {
  std::vector<std::string> distinct;
  std::vector<fs::path> seen;
  for (const auto& name : names) {
    std::error_code error;
    auto identity = fs::weakly_canonical(name, error);
    if (error) identity = name;
    if (std::find(seen.begin(), seen.end(), identity) != seen.end()) continue;
    seen.push_back(identity);
    distinct.push_back(name);
  }
  return distinct;
}

}  // namespace

int run_rotate(const Command& self, const Arguments& arguments, Context& context) {
  std::vector<std::string> names;
  long long secret_bytes = 0;
  po::options_description options;
  options.add_options()
      ("file", po::value(&names)->required(), "a config file to rotate (repeatable, positional)")
      ("same-secret", "give every file the same new secret (a web.config and its transform, say)");
  add_secret_bytes_option(options, secret_bytes);
  po::variables_map values;
  if (!parse_command_line(self, arguments, options, values, context, "file")) return 0;

  const auto paths = distinct_files(names);
  const bool same_secret = values.count("same-secret") != 0;
  const auto& output = context.output;
  if ((!output.export_name.empty() || !output.secret_file.empty()) && paths.size() > 1 && !same_secret) {
    throw Error(Code::usage, {}, "--export and --secret-file take one secret: add --same-secret");
  }
  std::vector<Secret> secrets;
  std::vector<SensitiveString> originals;
  std::vector<SensitiveString> rotated;
  secrets.reserve(paths.size());
  originals.reserve(paths.size());
  rotated.reserve(paths.size());
  for (const auto& path : paths) {
    originals.emplace_back(files::read(path));
    const XmlText config(originals.back().str(), path);
    if (secrets.empty() || !same_secret) secrets.push_back(Secret::generate(secret_bytes));
    rotated.push_back(splice_secret(config, secrets.back()));
  }
  std::vector<files::Replacement> replacements;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    replacements.push_back({paths[i], rotated[i].str(), originals[i].str()});
  }
  files::replace_all(replacements);
  auto& report = context.report;
  report.secret_bits = secrets.front().bits();
  for (std::size_t i = 0; i < paths.size(); ++i) report.written.push_back(paths[i]);
  // One entry per secret: with --same-secret, one for all the files.
  for (std::size_t i = 0; i < secrets.size(); ++i) {
    const std::string value(secrets[i].reveal());
    report.secrets.push_back({same_secret ? "all files" : paths[i], SensitiveString(value), SensitiveString(value)});
  }
  report.notes.push_back("rotated WSGI_PTVSD_SECRET in " + std::to_string(paths.size()) +
                         (paths.size() == 1 ? " file" : " files") + " (" +
                         (same_secret && paths.size() > 1 ? "one shared " : "new ") +
                         std::to_string(report.secret_bits) + "-bit secret" +
                         (same_secret || paths.size() == 1 ? "" : "s") + ", not shown)");
  return 0;
}

}  // namespace ptvsd
