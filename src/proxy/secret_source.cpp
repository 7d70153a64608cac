#include "proxy/secret_source.h"

#include "core/config_edit.h"
#include "core/diagnostics.h"
#include "core/files.h"
#include "core/xml_text.h"

namespace ptvsd::proxy {

namespace {

constexpr std::size_t min_bits = Secret::min_bytes * 8;

std::string weakness(const Secret& secret) {
  return "WSGI_PTVSD_SECRET is too weak: its " + std::to_string(secret.reveal().size()) +
         " characters carry at most " + std::to_string(secret.bits()) + " bits; the proxy needs " +
         std::to_string(min_bits) + " (22 base64url characters). Run 'ptvsd-publish publish' or "
         "'ptvsd-publish rotate' for a strong one";
}

LoadedSecret from_config(const std::filesystem::path& path) {
  const SensitiveString text(files::read(path));
  const XmlText parsed(text.str(), path.string());
  const auto setting = single_secret_setting(parsed);
  auto secret = Secret::from_text(setting.attribute("value").value());
  if (secret.bits() < min_bits) {
    throw Error(Code::proxy_weak_secret, parsed.locate(setting), weakness(secret));
  }
  return {std::move(secret), path.string()};
}

}  // namespace

LoadedSecret load_secret(const SecretSources& sources) {
  if (sources.config) return from_config(*sources.config);
  if (sources.environment) {
    auto secret = Secret::from_text(*sources.environment);
    if (secret.bits() < min_bits) {
      throw Error(Code::proxy_weak_secret, {"ptvsd-proxy"}, "the environment variable " + weakness(secret));
    }
    return {std::move(secret), "the WSGI_PTVSD_SECRET environment variable"};
  }
  if (sources.site_config) {
    std::error_code ignored;
    if (std::filesystem::exists(*sources.site_config, ignored)) return from_config(*sources.site_config);
  }
  std::string message =
      "no secret to check debuggers against: give --config WEB.CONFIG (holding the WSGI_PTVSD_SECRET app "
      "setting) or set the WSGI_PTVSD_SECRET environment variable";
  if (sources.site_config) message += "; the site's " + sources.site_config->string() + " does not exist";
  throw Error(Code::proxy_no_secret, {"ptvsd-proxy"}, message);
}

}  // namespace ptvsd::proxy
