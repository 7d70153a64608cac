// `rotate`: a new secret in existing configs, by hand or from a pipeline, for one file or
// thousands (directories and patterns are expanded). By default every file is read, checked and
// spliced in memory first, and only when all succeeded is any file replaced (files::replace_all);
// --keep-going rotates each file on its own and reports the ones that failed.
#include "commands/commands.h"
#include "core/config_edit.h"
#include "core/diagnostics.h"
#include "core/files.h"
#include "core/files_search.h"

namespace ptvsd {

namespace {

struct Rotation {
  std::string path;
  SensitiveString rotated;
  std::size_t secret;  // index into the run's secrets
};

Rotation rotate_in_memory(const std::string& path, std::vector<Secret>& secrets, bool same_secret,
                          long long secret_bytes) {
  SensitiveString original(files::read(path));
  const XmlText config(original.str(), path);
  if (secrets.empty() || !same_secret) secrets.push_back(Secret::generate(secret_bytes));
  auto rotated = splice_secret(config, secrets.back());
  return {path, std::move(rotated), secrets.size() - 1};
}

void replace_one(const Rotation& rotation) {
  files::replace_all({{rotation.path, rotation.rotated.str()}});
}

void replace_together(const std::vector<Rotation>& rotations) {
  std::vector<files::Replacement> replacements;
  replacements.reserve(rotations.size());
  for (const auto& rotation : rotations) {
    replacements.push_back({rotation.path, rotation.rotated.str()});
  }
  files::replace_all(replacements);
}

void report_rotations(Report& report, const std::vector<Rotation>& done, const std::vector<Secret>& secrets,
                      bool same_secret) {
  if (done.empty()) return;
  report.secret_bits = secrets.front().bits();
  for (const auto& rotation : done) {
    report.written.push_back(rotation.path);
    if (same_secret) continue;
    report.add_secret(rotation.path, secrets[rotation.secret].reveal());
  }
  if (same_secret) {
    report.add_secret("all files", secrets.front().reveal());
  }
  report.notes.push_back("rotated WSGI_PTVSD_SECRET in " + std::to_string(done.size()) +
                         (done.size() == 1 ? " file" : " files") + " (" +
                         (same_secret && done.size() > 1 ? "one shared " : "new ") +
                         std::to_string(report.secret_bits) + "-bit secret" +
                         (same_secret || done.size() == 1 ? "" : "s") + ", not shown)");
}

}  // namespace

int run_rotate(const Command& self, const Arguments& arguments, Context& context) {
  std::vector<std::string> names;
  long long secret_bytes = 0;
  po::options_description options;
  options.add_options()
      ("file", po::value(&names)->required(),
       "a config file, a folder (its web.config and web.*.config files, recursively) or a pattern "
       "(*, ?, **); repeatable, positional")
      ("same-secret", "give every file the same new secret (a web.config and its transform, say)")
      ("keep-going", "rotate each file on its own: report the ones that fail and go on with the rest");
  add_secret_bytes_option(options, secret_bytes);
  po::variables_map values;
  if (!parse_command_line(self, arguments, options, values, context, "file")) return 0;

  const auto paths = files::expand_config_arguments(names);
  const bool same_secret = values.count("same-secret") != 0;
  const bool keep_going = values.count("keep-going") != 0;
  const auto& output = context.output;
  if ((!output.export_name.empty() || !output.secret_file.empty()) && paths.size() > 1 && !same_secret) {
    throw Error(Code::usage, {}, "--export and --secret-file take one secret: add --same-secret");
  }
  std::vector<Secret> secrets;
  secrets.reserve(paths.size());
  std::vector<Rotation> done;
  done.reserve(paths.size());
  if (!keep_going) {
    for (const auto& path : paths) done.push_back(rotate_in_memory(path, secrets, same_secret, secret_bytes));
    replace_together(done);
    report_rotations(context.report, done, secrets, same_secret);
    return 0;
  }
  int exit_code = 0;
  for (const auto& path : paths) {
    try {
      auto rotation = rotate_in_memory(path, secrets, same_secret, secret_bytes);
      replace_one(rotation);
      done.push_back(std::move(rotation));
    } catch (const Error& error) {
      context.report.diagnostics.push_back({Severity::error, error.code(), error.where(), error.what()});
      if (exit_code == 0) exit_code = static_cast<int>(error.exit_code());
    }
  }
  report_rotations(context.report, done, secrets, same_secret);
  return exit_code;
}

}  // namespace ptvsd
