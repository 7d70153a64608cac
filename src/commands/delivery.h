// Handing a run's secret on (--secret-file, --export, the CI's masking lines) as part of the run's
// one all-or-nothing replacement. The masking lines are printed, and their printing checked,
// before any file holds the secret; the secret file and $GITHUB_OUTPUT join the plan's files
// (files::replace_all), under the step's locks, so a delivery that fails leaves nothing changed,
// and a config never holds a secret that nobody received.
#pragma once

#include "commands/command_line.h"
#include "commands/plan.h"

namespace ptvsd {

// Whether the run hands its secret on to a file or a pipeline variable (--secret-file, --export).
bool hands_on(const OutputOptions& output);

// For every secret of context.report not yet announced, prints the CI's masking line (where the
// secret leaves the process at all: revealed or handed on), and the first time, Azure's secret
// variable line for --export. A line that cannot be written is Error(ci_output_failed), with
// nothing changed yet.
void announce_secrets(Context& context);

// Puts the delivery files at the front of `plan`: --secret-file (a new 0600 file holding the
// secret alone) and, for --export with --ci github, $GITHUB_OUTPUT with the secret's line appended
// (read now, replaced only if unchanged since). Throws Error(usage) unless context.report holds
// exactly one secret.
void add_delivery_files(Plan& plan, const Context& context);

}  // namespace ptvsd
