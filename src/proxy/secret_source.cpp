#include "proxy/secret_source.h"

#include <algorithm>

#include "core/ascii.h"
#include "core/config_edit.h"
#include "core/diagnostics.h"
#include "core/files.h"
#include "core/xml_text.h"

namespace ptvsd::proxy {

namespace {

// Checks a secret read from `subject` ("WSGI_PTVSD_SECRET", "the environment variable ..."); throws
// located at `where`. A control character first: it is no typo a client could send (a header
// value ends at CR LF), and a secret that carries one could split a log or CI line it is put on.
void require_usable(std::string_view value, const std::string& subject, const Location& where) {
  const auto control = std::find_if(value.begin(), value.end(), is_ascii_control);
  if (control != value.end()) {
    throw Error(Code::proxy_secret_control, where,
                subject + " holds a control character (CR, LF, tab or another below 0x20, or DEL) at position " +
                    std::to_string(control - value.begin() + 1) +
                    ": no client can send it; run 'ptvsd-publish rotate' for a new secret");
  }
  if (const auto weakness = secret_weakness(value, subject)) {
    throw Error(Code::proxy_weak_secret, where,
                *weakness +
                    "; the proxy refuses it. Run 'ptvsd-publish publish' or 'ptvsd-publish rotate' "
                    "for a strong one");
  }
}

LoadedSecret from_config(const std::filesystem::path& path) {
  const SensitiveString text(files::read(path));
  const XmlText parsed(text.str(), path.string());
  const auto setting = single_secret_setting(parsed);
  const std::string_view value = setting.attribute("value").value();
  require_usable(value, "WSGI_PTVSD_SECRET", parsed.locate(setting));
  return {Secret::from_text(value), path.string()};
}

}  // namespace

LoadedSecret load_secret(const SecretSources& sources) {
  if (sources.config) return from_config(*sources.config);
  if (sources.environment) {
    require_usable(*sources.environment, "the environment variable WSGI_PTVSD_SECRET", {"ptvsd-proxy"});
    return {Secret::from_text(*sources.environment), "the WSGI_PTVSD_SECRET environment variable"};
  }
  if (sources.site_config && files::exists(*sources.site_config)) return from_config(*sources.site_config);
  std::string message =
      "no secret to check debuggers against: give --config WEB.CONFIG (holding the WSGI_PTVSD_SECRET app "
      "setting) or set the WSGI_PTVSD_SECRET environment variable";
  if (sources.site_config) message += "; the site's " + sources.site_config->string() + " does not exist";
  throw Error(Code::proxy_no_secret, {"ptvsd-proxy"}, message);
}

}  // namespace ptvsd::proxy
