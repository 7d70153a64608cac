// The one executor: it runs a command from the table and prints its report. A command that changes
// files (publish, rotate, url) only decides (commands/plan.h); the executor takes the locks, asks
// for the plan, prints the CI's masking lines, adds the delivery files, replaces every file of the
// plan at once (files::replace_all), and merges the plan's report into the run's.
#pragma once

#include "commands/command_line.h"
#include "commands/plan.h"

namespace ptvsd {

// Does `work`, step after step; returns 0, or with Work::keep_going the exit code of the first
// step that failed. Otherwise a failed step's Error is thrown, after it changed nothing.
int execute(const Work& work, Context& context);

// Runs `command` on its arguments, as its row says: a command that plans has its work done by
// execute(); any other runs itself. Returns the exit code.
int run_command(const Command& command, const Arguments& arguments, Context& context);

// The whole tool: `ptvsd-publish <command> ...`. Prints the report (errors in MSBuild's format,
// or JSON) and returns the exit code; main() is a call to this.
int run_tool(int argc, const char* const* argv);

}  // namespace ptvsd
