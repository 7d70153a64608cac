// `rotate`: a new secret in existing configs, by hand or from a pipeline, for one file or
// thousands (directories and patterns are expanded). By default every file is read, checked and
// spliced in memory first (plan_rotation, rotate.h), and only when all succeeded is any file
// replaced, in one step; --keep-going makes a step of each file and reports the ones that failed.
// Each file's folder is locked as publish locks a project, so concurrent runs on one file take
// turns instead of failing.
#include "commands/rotate.h"

#include <memory>

#include "commands/commands.h"
#include "core/config_edit.h"
#include "core/diagnostics.h"
#include "core/files_search.h"

namespace ptvsd {

Plan plan_rotation(const std::vector<std::string>& paths, const ReadConfig& read, bool same_secret,
                   const NextSecret& next_secret) {
  Plan plan;
  plan.files.reserve(paths.size());
  for (const auto& path : paths) {
    const auto original = read(path);
    const XmlText config(original.bytes.str(), path);
    const auto& secret = next_secret();
    plan.files.push_back({path, splice_secret(config, secret), files::owner_only, false, original.identity});
    // Recorded before any file is replaced, so that it is masked and delivered with the files.
    auto& secrets = plan.decided.secrets;
    if (!same_secret || secrets.empty()) plan.decided.add_secret(same_secret ? "all files" : path, secret.reveal());
    plan.done.written.push_back(path);
    plan.done.secret_bits = secret.bits();
  }
  return plan;
}

std::string rotation_summary(std::size_t files, std::size_t bits, bool same_secret) {
  return "rotated WSGI_PTVSD_SECRET in " + std::to_string(files) + (files == 1 ? " file" : " files") + " (" +
         (same_secret && files > 1 ? "one shared " : "new ") + std::to_string(bits) + "-bit secret" +
         (same_secret || files == 1 ? "" : "s") + ", not shown)";
}

void rotate_options(po::options_description& options) {
  // One option a line, as --help prints them; clang-format would pack the chain.
  // clang-format off
  options.add_options()
      ("file", po::value<std::vector<std::string>>()->required()->value_name("FILE"),
       "a config file, a folder (its web.config and web.*.config files, recursively) or a pattern "
       "(*, ?, **); repeatable, positional")
      ("same-secret", "give every file the same new secret (a web.config and its transform, say)")
      ("keep-going", "rotate each file on its own: report the ones that fail and go on with the rest");
  // clang-format on
}

Work rotate_work(const Command& self, const Arguments& arguments, Context& context) {
  po::variables_map values;
  if (!parse_command_line(self, arguments, values, context)) return {};
  const auto names = values["file"].as<std::vector<std::string>>();
  const auto secret_bytes = context.secret_bytes;

  const auto paths = files::expand_config_arguments(names);
  const bool same_secret = values.count("same-secret") != 0;
  const auto& output = context.output;
  if ((!output.export_name.empty() || !output.secret_file.empty()) && paths.size() > 1 && !same_secret) {
    throw Error(Code::usage, {}, "--export and --secret-file take one secret: add --same-secret");
  }
  // Alive for the whole run: the secrets the plans were made with, the shared one reused by each.
  const auto secrets = std::make_shared<std::vector<Secret>>();
  secrets->reserve(paths.size());
  const NextSecret next_secret = [secrets, same_secret, secret_bytes]() -> const Secret& {
    if (secrets->empty() || !same_secret) secrets->push_back(Secret::generate(secret_bytes));
    return secrets->back();
  };
  const auto step_for = [&](std::vector<std::string> files) {
    Step step;
    step.folders_to_lock = [files] { return files::folders_to_lock(files); };
    step.decide = [files, same_secret, next_secret] {
      return plan_rotation(files, files::read_contents, same_secret, next_secret);
    };
    return step;
  };
  Work work;
  work.keep_going = values.count("keep-going") != 0;
  if (work.keep_going) {
    // Each file on its own; --secret-file and --export go with the first file that succeeds.
    for (const auto& path : paths) work.steps.push_back(step_for({path}));
  } else {
    work.steps.push_back(step_for(paths));
  }
  work.summarize = [same_secret](Report& report, std::size_t files_replaced) {
    if (files_replaced > 0) report.notes.push_back(rotation_summary(files_replaced, report.secret_bits, same_secret));
  };
  return work;
}

}  // namespace ptvsd
