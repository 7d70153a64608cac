#include "commands/commands.h"

#include <cmath>

#include "core/diagnostics.h"
#include "core/secret.h"

namespace ptvsd {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"publish",
       "Regenerate WSGI_PTVSD_SECRET and web.debug.config of a project (run by MSBuild on every "
       "Debug publish).",
       "ptvsd-publish publish [--project DIR] [options]",
       "  ptvsd-publish publish --project ./mysite\n"
       "  ptvsd-publish publish --project ./mysite --template ./my-template.config\n"
       "  ptvsd-publish publish --project ./mysite --secret-bytes 64\n"
       "  ptvsd-publish publish --project . --ci auto --export PTVSD_SECRET   # in a pipeline\n",
       true, run_publish},
      {"rotate",
       "Put a new secret into existing config files, changing no other byte.",
       "ptvsd-publish rotate [options] FILE...",
       "  ptvsd-publish rotate web.debug.config\n"
       "  ptvsd-publish rotate --same-secret site/web.config site/web.debug.config\n"
       "  ptvsd-publish rotate --format json --reveal --ci github web.debug.config\n",
       true, run_rotate},
      {"url",
       "Print the wss:// URL a debugger attaches with (this prints the secret).",
       "ptvsd-publish url --site NAME [--config FILE] | --host HOST [--config FILE]",
       "  ptvsd-publish url --site mysite\n"
       "      wss://<secret>@mysite.azurewebsites.net/ptvsd\n"
       "  ptvsd-publish url --host debug.example.com --config site/web.config\n"
       "  ptvsd-publish url --site mysite --ci azure --export PTVSD_URL\n",
       true, run_url},
      {"check",
       "Check that remote debugging will work: the project's web.debug.config and/or a publish "
       "output (or web.config files); exit code says what is wrong.",
       "ptvsd-publish check [--project DIR] [--publish-dir DIR] [WEB.CONFIG...]",
       "  ptvsd-publish check --project ./mysite\n"
       "  ptvsd-publish check --publish-dir ./mysite/bin/publish\n"
       "  ptvsd-publish check --format json site/web.config\n",
       false, run_check,
       "\nExit codes of check (several problems: the lowest): 0 ready (warnings aside); 10 no secret;\n"
       "11 weak secret; 12 secret not URL-safe; 13 secret twice; 20 no ptvsd handler; 21 handler twice;\n"
       "22 handler after a catch-all; 23 handler's proxy not in the output; 30 packaged proxy missing;\n"
       "31 proxy does not match its manifest; 40 web sockets off; 50 transform the XDT engine rejects.\n"},
  };
  return table;
}

void add_secret_bytes_option(po::options_description& options, long long& bytes) {
  options.add_options()("secret-bytes",
                        po::value(&bytes)->default_value(static_cast<long long>(Secret::default_bytes)),
                        "random bytes in a new secret, 16 to 64 (128 to 512 bits); encoded as "
                        "base64url without padding (43 characters for 32)");
}

std::chrono::milliseconds lock_timeout_from(double seconds) {
  constexpr double day = 24 * 60 * 60;
  if (!(seconds >= 0 && seconds <= day)) {  // also false for NaN
    throw Error(Code::usage, {}, "--lock-timeout takes seconds from 0 to 86400");
  }
  return std::chrono::milliseconds(std::llround(seconds * 1000));
}

}  // namespace ptvsd
