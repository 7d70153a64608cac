#include "commands/executor.h"

#include <algorithm>
#include <deque>
#include <iostream>

#include "commands/delivery.h"
#include "core/diagnostics.h"

namespace ptvsd {

namespace {

// Takes `folder`'s lock (files::lock_file_name), waiting up to --lock-timeout and saying on stderr
// why the run pauses. Throws Error(lock_timeout).
files::ProjectLock lock_folder(const std::filesystem::path& folder, const Context& context) {
  const auto lock_path = folder / files::lock_file_name;
  return files::ProjectLock(lock_path, context.lock_timeout, [&] {
    // Said now, not in the report: the person watching needs to know why nothing happens.
    if (context.output.format == Format::text && !context.output.quiet) {
      std::cerr << "ptvsd-publish: " << lock_path.string()
                << ": another ptvsd-publish run is replacing files in this folder; waiting up to "
                << std::chrono::duration<double>(context.lock_timeout).count() << " s\n";
    }
  });
}

// Part of a plan's report into the run's. A secret the run holds already (--same-secret, shared by
// the steps of --keep-going) is not recorded twice.
void merge(Report& report, Report& part) {
  if (!part.template_name.empty()) report.template_name = part.template_name;
  if (part.secret_bits != 0) report.secret_bits = part.secret_bits;
  for (auto& path : part.written) report.written.push_back(std::move(path));
  for (auto& note : part.notes) report.notes.push_back(std::move(note));
  for (auto& detail : part.details) report.details.push_back(std::move(detail));
  for (auto& diagnostic : part.diagnostics) report.diagnostics.push_back(std::move(diagnostic));
  for (auto& secret : part.secrets) {
    const bool known = std::any_of(report.secrets.begin(), report.secrets.end(), [&](const ProducedSecret& had) {
      return had.label == secret.label && had.value.str() == secret.value.str();
    });
    if (!known) report.secrets.push_back(std::move(secret));
  }
}

// Returns how many of the plan's own files it replaced.
std::size_t run_step(const Step& step, Context& context) {
  std::deque<files::NewFolder> lock_folders;  // a NewFolder does not move
  std::vector<files::ProjectLock> locks;
  const auto folders = step.folders_to_lock();
  locks.reserve(folders.size());
  for (const auto& folder : folders) {
    if (step.create_lock_folders) lock_folders.emplace_back(folder);
    locks.push_back(lock_folder(folder, context));
  }
  auto plan = step.decide();
  const auto planned = plan.files.size();
  merge(context.report, plan.decided);
  announce_secrets(context);
  const bool delivering = !context.delivered && hands_on(context.output);
  if (delivering) add_delivery_files(plan, context);
  std::deque<files::NewFolder> new_folders;
  for (const auto& folder : plan.new_folders) new_folders.emplace_back(folder);
  std::vector<files::Replacement> replacements;
  replacements.reserve(plan.files.size());
  for (const auto& file : plan.files) {
    const auto* made = std::get_if<SensitiveString>(&file.contents);
    const auto bytes = made ? files::Bytes(made->str()) : files::Bytes(std::get<files::FileVersion>(file.contents));
    replacements.push_back({file.path, bytes, file.new_file_mode, file.must_be_new, file.unchanged_since});
  }
  for (auto& warning : files::replace_all(replacements)) {
    context.report.diagnostics.push_back({Severity::warning, warning.code(), warning.where(), warning.what()});
  }
  for (auto& folder : new_folders) folder.keep();
  for (auto& folder : lock_folders) folder.keep();
  if (delivering) {
    context.delivered = true;
    if (!context.output.secret_file.empty()) context.report.written.push_back(context.output.secret_file);
  }
  merge(context.report, plan.done);
  return planned;
}

// The secrets were masked and handed on by the steps, together with their files; what is left is
// printing.
int report_and_exit(const Context& context, int exit_code) {
  const auto& output = context.output;
  const bool reveal = exit_code == 0 && output.reveal;
  if (output.format == Format::json) {
    std::cout << to_json(context.report, exit_code, reveal).str();
  } else {
    std::cerr << text_report(context.report, output.verbose, output.quiet, output.colour);
    if (reveal) std::cout << revealed_secrets(context.report).str();
  }
  std::cout.flush();
  return exit_code;
}

}  // namespace

int execute(const Work& work, Context& context) {
  int exit_code = 0;
  std::size_t replaced = 0;
  for (const auto& step : work.steps) {
    if (!work.keep_going) {
      replaced += run_step(step, context);
      continue;
    }
    try {
      replaced += run_step(step, context);
    } catch (const Error& error) {
      context.report.diagnostics.push_back({Severity::error, error.code(), error.where(), error.what()});
      if (exit_code == 0) exit_code = static_cast<int>(error.exit_code());
    }
  }
  if (work.summarize) work.summarize(context.report, replaced);
  return exit_code;
}

int run_command(const Command& command, const Arguments& arguments, Context& context) {
  if (command.action.plan != nullptr) return execute(command.action.plan(command, arguments, context), context);
  return command.action.run(command, arguments, context);
}

int run_tool(int argc, const char* const* argv) {
  const Arguments arguments(argv + 1, argv + argc);
  Context context;
  context.environment = platform::environment_variable;
  preset_output_options(arguments, context);
  int exit_code = 0;
  try {
    exit_code = dispatch(arguments, context);
  } catch (const Error& error) {
    context.report.diagnostics.push_back({Severity::error, error.code(), error.where(), error.what()});
    exit_code = static_cast<int>(error.exit_code());
  } catch (const std::exception& error) {
    context.report.diagnostics.push_back({Severity::error, Code::internal, {}, error.what()});
    exit_code = static_cast<int>(ExitCode::internal);
  }
  return report_and_exit(context, exit_code);
}

}  // namespace ptvsd
