// The commands, one file each, and the little they share.
#pragma once

#include "commands/command_line.h"
#include "core/files.h"
#include "core/secret.h"

namespace ptvsd {

// The commands that change files return their work (commands/plan.h) for the executor; the others
// act themselves.
Work publish_work(const Command& self, const Arguments& arguments, Context& context);
Work rotate_work(const Command& self, const Arguments& arguments, Context& context);
Work url_work(const Command& self, const Arguments& arguments, Context& context);
// url's decision: the URL of `authority`'s /ptvsd with `secret` as its user, the secret to print and
// mask (bare and percent-encoded), and its strength.
Plan plan_url(const std::string& authority, std::string_view secret);
int run_check(const Command& self, const Arguments& arguments, Context& context);
int run_attach(const Command& self, const Arguments& arguments, Context& context);
int run_completion(const Command& self, const Arguments& arguments, Context& context);

// The WSGI_PTVSD_SECRET value of a config (--config of `url` and `attach`): the file as named, its
// name matched case-insensitively in its folder (web.Debug.config from Visual Studio); none named,
// the project's here (find_debug_config). Throws for an unreadable file, malformed XML, not exactly
// one secret, or a secret with a control character.
SensitiveString secret_from_config(const std::string& config);

// Each command's own options, for its row of the table (the command reads them from the parsed
// values by these names).
void publish_options(po::options_description& options);
void rotate_options(po::options_description& options);
void url_options(po::options_description& options);
void attach_options(po::options_description& options);
void check_options(po::options_description& options);
void completion_options(po::options_description& options);

}  // namespace ptvsd
