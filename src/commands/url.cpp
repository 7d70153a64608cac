// `url`: the one command whose job is to print the secret, as the user part of the debugger's URL.
#include <iostream>

#include "commands/commands.h"
#include "core/config_edit.h"
#include "core/diagnostics.h"
#include "core/files.h"

namespace ptvsd {

namespace {

namespace fs = std::filesystem;

bool is_unreserved(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.' ||
         c == '~';
}

// A generated secret is URL-safe already; one a user typed may not be, and the URL must still work.
void append_percent_encoded(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (const char c : text) {
    if (is_unreserved(c)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 0xF];
    }
  }
}

std::string host_for(const std::string& site, const std::string& host) {
  if (!host.empty()) {
    if (host.find_first_of("/@ \t?#") != std::string::npos) {
      throw Error(Code::usage, {}, "url: --host takes a host name (and port), not a URL: '" + host + "'");
    }
    return host;
  }
  if (site.empty()) throw Error(Code::usage, {}, "url: give --site NAME or --host HOST");
  const bool valid = std::all_of(site.begin(), site.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
  });
  if (!valid) {
    throw Error(Code::usage, {}, "url: --site takes an App Service name (letters, digits, '-'): '" + site + "'");
  }
  return site + ".azurewebsites.net";
}

}  // namespace

int run_url(const Command& self, const Arguments& arguments, Context& context) {
  std::string site;
  std::string host;
  std::string config = "web.debug.config";
  po::options_description options;
  options.add_options()
      ("site", po::value(&site), "the App Service name: <name>.azurewebsites.net")
      ("host", po::value(&host), "a custom host name instead of --site (host[:port])")
      ("config", po::value(&config)->default_value(config),
       "the config holding WSGI_PTVSD_SECRET (a web.debug.config or a deployed web.config)");
  po::variables_map values;
  if (!parse_command_line(self, arguments, options, values, context)) return 0;

  const auto authority = host_for(site, host);
  const fs::path given(config);
  const auto path = files::find_case_insensitive(given.parent_path().empty() ? "." : given.parent_path(),
                                                 given.filename().string())
                        .value_or(given);
  const SensitiveString text(files::read(path));
  const XmlText parsed(text.str(), path.string());
  const auto setting = single_secret_setting(parsed);
  SensitiveString url;
  url.mutable_str().reserve(512);
  url.mutable_str() += "wss://";
  append_percent_encoded(url.mutable_str(), setting.attribute("value").value());
  url.mutable_str() += "@" + authority + "/ptvsd";
  const std::string_view secret = setting.attribute("value").value();
  context.report.secret_bits = Secret::from_text(secret).bits();
  context.report.secrets.push_back({"url", std::move(url), SensitiveString(std::string(secret))});
  return 0;
}

}  // namespace ptvsd
