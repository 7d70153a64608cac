// What a command reports, and how it is shown: one-line summaries and MSBuild-style diagnostics
// for people, one JSON document for pipelines, and the lines CI systems read to mask a secret or
// to receive it as a secret variable. Pure: it builds text; the executor prints it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "core/secret.h"

namespace ptvsd {

enum class Format { text, json };
enum class Ci { none, github, azure, gitlab };

// "github", "azure", "gitlab", "none", or "auto", which asks `variable` for each CI's own marker
// (GITHUB_ACTIONS, TF_BUILD, GITLAB_CI). Throws Error(usage) for anything else.
using EnvironmentLookup = std::function<std::optional<std::string>(const char* name)>;
Ci parse_ci(std::string_view name, const EnvironmentLookup& variable);

struct Diagnostic {
  Severity severity;
  Code code;
  Location where;
  std::string message;
};

// A secret a command produced or read: the file it belongs to (or "url"), the value a user may
// ask for, and every form of the secret that a CI must mask (for `url`, the value is the whole URL
// and the secret shows in it percent-encoded, so both the bare and the encoded form are masked).
struct ProducedSecret {
  std::string label;
  SensitiveString value;
  std::vector<SensitiveString> masks;
};

struct Report {
  std::string command;
  std::vector<std::string> written;
  std::string template_name;
  std::size_t secret_bits = 0;
  std::vector<std::string> notes;    // one-line summaries for people
  std::vector<std::string> details;  // what was decided and why, for --verbose
  std::vector<Diagnostic> diagnostics;
  std::vector<ProducedSecret> secrets;

  // A secret written into `label` as it is: the value a user may ask for is the one to mask.
  void add_secret(std::string label, std::string_view secret) {
    secrets.push_back({std::move(label), SensitiveString(std::string(secret)), {}});
    secrets.back().masks.emplace_back(std::string(secret));
  }
};

// Throws Error(secret_control_character) at `where` when `secret` holds CR, LF or another control
// character: printed in a CI's line it would end that line, and what follows would run as a
// workflow command of its own.
void require_no_control_characters(std::string_view secret, const Location& where = {});

// The line that tells the CI to hide `value` in the job's log, printed before the value itself.
// GitLab has no such command at run time: nullopt. Refuses control characters (above), as do the
// two variable lines below.
std::optional<std::string> mask_line(Ci ci, std::string_view value);

// Throws Error(usage) for a name a CI would not accept as a variable.
void require_variable_name(std::string_view name);

// The secret as a pipeline variable: Azure's logging command, or GitHub's $GITHUB_OUTPUT line.
SensitiveString azure_secret_variable_line(std::string_view name, std::string_view value);
SensitiveString github_output_line(std::string_view name, std::string_view value);

// `text` as a JSON string, quotes included, appended to `out`.
void append_json_string(std::string& out, std::string_view text);

// The report as one line of JSON (fields in README, "Output for machines"). The secrets are in it
// only when `reveal`.
SensitiveString to_json(const Report& report, int exit_code, bool reveal);

// The report for people, for stderr: what was decided and why (`verbose`), the diagnostics in
// MSBuild's format ("error" and "warning" coloured when `colour`), then the summary unless
// `quiet`: last, after the problems it counts, where the eye lands.
std::string text_report(const Report& report, bool verbose, bool quiet, bool colour);

// The secrets for stdout, one a line, each "label: value" when there are several.
SensitiveString revealed_secrets(const Report& report);

}  // namespace ptvsd
