// Where the proxy's copy of WSGI_PTVSD_SECRET comes from, first match wins:
//   1. --config FILE: the WSGI_PTVSD_SECRET app setting of a web.config
//   2. the WSGI_PTVSD_SECRET environment variable (Azure exports portal app settings this way)
//   3. under HttpPlatformHandler only: the web.config of the site the proxy is published into,
//      <wwwroot>/web.config for <wwwroot>/bin/ptvsd-proxy, whatever IIS's working directory is
// A weak secret (core's secret_weakness: under 128 bits, or too few distinct characters) is
// refused, since the proxy would be a lock anyone can pick, and so is one holding a control character.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/secret.h"

namespace ptvsd::proxy {

struct SecretSources {
  std::optional<std::filesystem::path> config;       // --config
  std::optional<std::string> environment;            // WSGI_PTVSD_SECRET's value, if set
  std::optional<std::filesystem::path> site_config;  // rule 3, when it applies
};

struct LoadedSecret {
  Secret secret;
  std::string origin;  // for the startup log: a file name or the variable's name, never the value
};

// Throws Error(proxy_no_secret) when no source gives one, Error(proxy_secret_control) or
// Error(proxy_weak_secret) located at the setting, and the core's errors for unreadable or
// malformed configs.
LoadedSecret load_secret(const SecretSources& sources);

}  // namespace ptvsd::proxy
