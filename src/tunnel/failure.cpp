#include "tunnel/failure.h"

namespace ptvsd::tunnel {

std::string printable_excerpt(std::string_view text, std::size_t limit) {
  std::string out;
  for (const char c : text) {
    if (out.size() >= limit) {
      out += "...";
      break;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else if ((c == '\n' || c == '\r' || c == '\t') && !out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Error refused_upgrade(const Endpoint& endpoint, unsigned status, std::string_view body) {
  const auto said = printable_excerpt(body);
  const std::string tail = said.empty() ? "" : " (the site said: " + said + ")";
  const std::string answered = endpoint.url() + " answered " + std::to_string(status);
  if (status == 401 || status == 403) {
    return Error(Code::tunnel_secret, {},
                 answered +
                     ": the site does not accept this secret. The config's WSGI_PTVSD_SECRET "
                     "differs from the deployed one: publish the Debug build again, or pass the deployed "
                     "web.config with --config" +
                     tail);
  }
  if (status == 429) {
    return Error(Code::tunnel_busy, {},
                 answered +
                     ": the site is turning attempts away for now (too many failed attempts, or "
                     "debuggers at once); wait a minute, then attach again" +
                     tail);
  }
  if (status == 400 || status == 404 || status == 405 || status == 426) {
    return Error(Code::tunnel_no_endpoint, {},
                 answered +
                     ": no WebSocket endpoint there. Turn on Web sockets in the App Service's "
                     "configuration, and publish a Debug build whose web.config has the ptvsd handler "
                     "(ptvsd-publish check --publish-dir DIR says which is missing)" +
                     tail);
  }
  const std::string why =
      status == 502   ? ": the site's ptvsd-proxy could not reach debugpy. Start debugpy in the app (README, "
                        "\"Starting debugpy on the site\") and make a request so the app loads"
      : status == 503 ? ": the site is stopped, starting, or has a debugger attached already; start the site "
                        "or detach the other debugger, then attach again"
                      : ": not a WebSocket upgrade; check that --url points at the site's /ptvsd";
  return Error(Code::tunnel_no_debugger, {}, answered + why + tail);
}

Error untrusted_certificate(const Endpoint& endpoint, bool hostname_mismatch, std::string_view reason) {
  if (hostname_mismatch) {
    return Error(Code::tunnel_certificate, {},
                 "the certificate of " + endpoint.host_header() + " is for another host name (" + std::string(reason) +
                     "); attach with the name the certificate is made for");
  }
  return Error(Code::tunnel_certificate, {},
               "the certificate of " + endpoint.host_header() + " is not trusted (" + std::string(reason) +
                   "); for a private CA or a self-signed test certificate pass its PEM file with --ca-file");
}

bool ends_the_tunnel(const Error& error) {
  return error.code() == Code::tunnel_secret || error.code() == Code::tunnel_certificate ||
         error.code() == Code::tunnel_bad_secret;
}

}  // namespace ptvsd::tunnel
