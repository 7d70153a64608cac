#include "commands/commands.h"

#include "core/config_edit.h"
#include "core/debug_config_location.h"
#include "core/diagnostics.h"
#include "core/files.h"
#include "core/output.h"
#include "core/secret.h"
#include "core/xml_text.h"

namespace ptvsd {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"publish",
       "Regenerate WSGI_PTVSD_SECRET and web.debug.config of a project (run by MSBuild on every "
       "Debug publish).",
       "ptvsd-publish publish [--project DIR] [options]",
       "  ptvsd-publish publish --project ./mysite\n"
       "  ptvsd-publish publish --project ./mysite --template ./my-template.config\n"
       "  ptvsd-publish publish --project . --ci auto --export PTVSD_SECRET   # in a pipeline\n",
       publish_options, nullptr, Secrets::produced, true, publish_work},
      {"rotate", "Put a new secret into existing config files, changing no other byte.",
       "ptvsd-publish rotate [options] FILE...",
       "  ptvsd-publish rotate web.debug.config\n"
       "  ptvsd-publish rotate --same-secret site/web.config site/web.debug.config\n"
       "  ptvsd-publish rotate --format json --reveal --ci github web.debug.config\n",
       rotate_options, "file", Secrets::produced, true, rotate_work},
      {"url",
       "Print the WebSocket URL of the site's /ptvsd, secret included, for WebSocket clients and "
       "scripts (debuggers attach through `attach`).",
       "ptvsd-publish url --site NAME [--config FILE] | --host HOST [--config FILE]",
       "  ptvsd-publish url --site mysite\n"
       "      wss://<secret>:@mysite.azurewebsites.net/ptvsd\n"
       "  ptvsd-publish url --host 127.0.0.1:8080      # a local proxy: ws://<secret>:@127.0.0.1:8080/ptvsd\n"
       "  ptvsd-publish url --site mysite --ci azure --export PTVSD_URL\n",
       url_options, nullptr, Secrets::revealed, false, url_work},
      {"attach",
       "Open a local port that debuggers attach to (VS Code, Visual Studio), tunnelled to the site's "
       "wss://.../ptvsd with the secret; runs until Ctrl-C.",
       "ptvsd-publish attach --site NAME | --url ws[s]://HOST[:PORT]/ptvsd [options]",
       "  ptvsd-publish attach --site mysite\n"
       "      then attach VS Code or Visual Studio to 127.0.0.1:5678 (the tunnel prints how)\n"
       "  ptvsd-publish attach --url wss://debug.example.com/ptvsd --ca-file corp-root.pem\n"
       "  ptvsd-publish attach --site mysite --local-root src --remote-root /home/site/wwwroot\n",
       attach_options, nullptr, Secrets::none, false, run_attach,
       "\nExit codes of attach: 0 ended by Ctrl-C; 6 the site refused the secret (PTVSD074) or its\n"
       "certificate is not trusted (PTVSD072); 4 the local port could not be opened (PTVSD078).\n"
       "Other failures end only the one connection and the tunnel keeps listening.\n"},
      {"check",
       "Check that remote debugging will work: the project's web.debug.config and/or a publish "
       "output (or web.config files); exit code says what is wrong.",
       "ptvsd-publish check [--project DIR] [--publish-dir DIR] [WEB.CONFIG...]",
       "  ptvsd-publish check --project ./mysite\n"
       "  ptvsd-publish check --publish-dir ./mysite/bin/publish\n"
       "  ptvsd-publish check --format json site/web.config\n",
       check_options, "config", Secrets::none, false, run_check,
       "\nExit codes of check (several problems: the lowest): 0 ready (warnings aside); 10 no secret;\n"
       "11 weak secret; 12 secret not URL-safe; 13 secret twice; 20 no ptvsd handler; 21 handler twice;\n"
       "22 handler after a catch-all; 23 handler's proxy not in the output; 30 packaged proxy missing;\n"
       "31 proxy does not match its manifest; 32 packaged proxy not a Windows x64 program;\n"
       "40 web sockets off; 50 transform the XDT engine rejects.\n"
       "Warnings (exit 0): PTVSD150-152, a server timeout that would cut a request paused at a breakpoint.\n"},
      {"completion",
       "Print a completion script for bash, zsh, fish or PowerShell (load it, or let cmake --install "
       "place it).",
       "ptvsd-publish completion bash|zsh|fish|powershell",
       "  source <(ptvsd-publish completion bash)\n"
       "  ptvsd-publish completion fish > ~/.config/fish/completions/ptvsd-publish.fish\n"
       "  ptvsd-publish completion powershell | Out-String | Invoke-Expression   # this session\n",
       completion_options, "shell", Secrets::none, false, run_completion},
  };
  return table;
}

namespace {

// A name given is found in any ASCII case; none given means the project in the current folder.
std::filesystem::path config_holding_the_secret(const std::string& config) {
  if (config.empty()) {
    if (auto found = find_debug_config(".")) return *found;
    throw Error(Code::read_failed, {std::string(debug_config_name), 0, 0},
                "no such file here nor in " + std::string(generated_debug_config_folder) +
                    "/: run this in the project folder (after a Debug publish), or point at the "
                    "config holding the secret with --config FILE");
  }
  const std::filesystem::path given(config);
  return files::find_case_insensitive(given.parent_path().empty() ? "." : given.parent_path(),
                                      given.filename().string())
      .value_or(given);
}

}  // namespace

SensitiveString secret_from_config(const std::string& config) {
  const auto path = config_holding_the_secret(config);
  const SensitiveString text(files::read(path));
  const XmlText parsed(text.str(), path.string());
  const auto setting = single_secret_setting(parsed);
  const std::string_view secret = setting.attribute("value").value();
  require_no_control_characters(secret, parsed.locate(setting));
  return SensitiveString(std::string(secret));
}

}  // namespace ptvsd
