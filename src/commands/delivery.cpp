#include "commands/delivery.h"

#include <iostream>

#include "core/diagnostics.h"

namespace ptvsd {

namespace {

const ProducedSecret& the_one_secret(const Report& report, const char* option) {
  if (report.secrets.size() != 1) {
    throw Error(Code::usage, {},
                std::string(option) + " needs exactly one secret; this run made " +
                    std::to_string(report.secrets.size()) + " (use --same-secret)");
  }
  return report.secrets.front();
}

// A line the CI reads from stdout, flushed at once: the CI must have it before anything else holds
// the secret, and one that did not arrive (stdout full or closed) must stop the run, or the secret
// would be handed on unmasked.
void print_ci_line(const SensitiveString& line) {
  std::cout << line.str() << '\n' << std::flush;
  if (!std::cout) {
    throw Error(Code::ci_output_failed, {},
                "cannot write to standard output a line the CI needs (to mask the secret or to "
                "receive it); nothing was changed");
  }
}

}  // namespace

bool hands_on(const OutputOptions& output) { return !output.export_name.empty() || !output.secret_file.empty(); }

void announce_secrets(Context& context) {
  const auto& output = context.output;
  auto& report = context.report;
  const bool first = context.masked == 0 && !report.secrets.empty();
  if (!output.reveal && !hands_on(output)) {
    context.masked = report.secrets.size();
    return;
  }
  if (first && output.reveal && output.ci == Ci::gitlab) {
    report.diagnostics.push_back({Severity::warning,
                                  Code::unmaskable,
                                  {},
                                  "GitLab CI cannot mask a value at run time; the secret below shows in "
                                  "the job log (prefer --secret-file)"});
  }
  for (; context.masked < report.secrets.size(); ++context.masked) {
    for (const auto& mask : report.secrets[context.masked].masks) {
      if (auto line = mask_line(output.ci, mask.str())) print_ci_line(SensitiveString(std::move(*line)));
    }
  }
  if (first && !output.export_name.empty() && output.ci == Ci::azure) {
    print_ci_line(azure_secret_variable_line(output.export_name, the_one_secret(report, "--export").value.str()));
  }
}

void add_delivery_files(Plan& plan, const Context& context) {
  const auto& output = context.output;
  std::vector<PlannedFile> delivery;
  if (!output.secret_file.empty()) {
    delivery.push_back({output.secret_file,
                        SensitiveString(std::string(the_one_secret(context.report, "--secret-file").value.str())),
                        files::owner_only, true});
  }
  if (!output.export_name.empty() && output.ci == Ci::github) {
    const auto& secret = the_one_secret(context.report, "--export");
    const auto path = context.environment("GITHUB_OUTPUT").value_or("");  // checked by the parser
    auto github_output = files::read_contents(path);
    const auto line = github_output_line(output.export_name, secret.value.str());
    auto& contents = github_output.bytes.mutable_str();
    SensitiveString appended;
    appended.mutable_str().reserve(contents.size() + line.str().size());
    appended.mutable_str() += contents;
    appended.mutable_str() += line.str();
    delivery.push_back({path, std::move(appended), files::owner_only, false, github_output.identity});
  }
  plan.files.insert(plan.files.begin(), std::make_move_iterator(delivery.begin()),
                    std::make_move_iterator(delivery.end()));
}

}  // namespace ptvsd
