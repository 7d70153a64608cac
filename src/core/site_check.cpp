#include "core/site_check.h"

#include <algorithm>
#include <array>
#include <regex>
#include <sstream>

#include "core/ascii.h"
#include "core/config_edit.h"
#include "core/executable_format.h"
#include "core/package.h"

namespace ptvsd {

namespace {

constexpr std::string_view base64url_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view classic_handler_type = "Microsoft.PythonTools.Debugger.WebSocketProxy";
constexpr std::string_view xdt_namespace = "http://schemas.microsoft.com/XML-Document-Transform";

bool is_catch_all(const pugi::xml_node& handler) {
  return std::string_view(handler.name()) == "add" && std::string_view(handler.attribute("path").value()) == "*";
}

// The site-level handlers, and those of a <location path="ptvsd"> where the native template puts
// them when the site runs under HttpPlatformHandler itself.
std::vector<pugi::xml_node> ptvsd_handlers(const XmlText& config) {
  std::vector<pugi::xml_node> found;
  for (const auto& match : config.document().select_nodes(
           "/configuration/system.webServer/handlers/add[@name='ptvsd'] | "
           "/configuration/location[@path='ptvsd']/system.webServer/handlers/add[@name='ptvsd']")) {
    found.push_back(match.node());
  }
  return found;
}

// "<add name='ptvsd' .../>" comes before every catch-all after the last <clear/> of its list.
std::optional<Finding> check_handler_order(const XmlText& config, const pugi::xml_node& handler) {
  for (auto before = handler.previous_sibling(); before; before = before.previous_sibling()) {
    if (std::string_view(before.name()) == "clear") break;
    if (is_catch_all(before)) {
      return check_finding(Code::check_handler_order, config.locate(handler),
                           "the ptvsd handler comes after the catch-all handler '" +
                               std::string(before.attribute("name").value()) +
                               "', which IIS picks first: move it ahead (publish again to fix)");
    }
  }
  return std::nullopt;
}

// What the handler needs from the publish output: the classic .NET handler's assembly, or the
// executable its scope's <httpPlatform> starts.
std::optional<std::string> handler_target(const pugi::xml_node& handler) {
  const std::string_view type = handler.attribute("type").value();
  if (type.substr(0, classic_handler_type.size()) == classic_handler_type) {
    return "bin/Microsoft.PythonTools.WebRole.dll";
  }
  if (std::string_view(handler.attribute("modules").value()) != "httpPlatformHandler") return std::nullopt;
  const auto platform = handler.parent().parent().child("httpPlatform");
  std::string path = platform.attribute("processPath").value();
  if (path.empty()) return std::nullopt;
  std::replace(path.begin(), path.end(), '\\', '/');
  if (path.rfind("./", 0) == 0) path.erase(0, 2);
  return path;
}

std::optional<Finding> check_handler_target(const XmlText& config, const pugi::xml_node& handler,
                                            const PackagedLookup& packaged) {
  const auto target = handler_target(handler);
  if (!target || packaged(*target)) return std::nullopt;
  const bool classic = target->find("WebRole") != std::string::npos;
  // What older publishes left on Linux: the Linux build as bin/ptvsd-proxy, which IIS never starts.
  const std::string_view exe = ".exe";
  const bool exe_missing = target->size() > exe.size() &&
                           target->compare(target->size() - exe.size(), exe.size(), exe) == 0 &&
                           packaged(target->substr(0, target->size() - exe.size()));
  return check_finding(
      Code::check_handler_target, config.locate(handler),
      "the ptvsd handler needs " + *target + ", which the publish output does not hold" +
          (exe_missing ? " (it holds " + target->substr(0, target->size() - exe.size()) + ", a name IIS does not start)"
                       : "") +
          ": " +
          (classic ? "add that assembly (it comes with the Visual Studio Python tools), or "
                     "publish with the native template"
                   : "package the win-x64 proxy (publish --publish-dir)"));
}

std::vector<Finding> check_handlers(const XmlText& config, const PackagedLookup& packaged) {
  const auto handlers = ptvsd_handlers(config);
  if (handlers.empty()) {
    return {check_finding(Code::check_handler_missing, {config.path(), 0, 0},
                          "no <add name=\"ptvsd\"/> handler: requests to /ptvsd never reach the proxy "
                          "(publish in Debug to add it)")};
  }
  std::vector<Finding> findings;
  for (std::size_t i = 1; i < handlers.size(); ++i) {
    if (handlers[i].parent() == handlers[0].parent()) {
      findings.push_back(check_finding(Code::check_handler_twice, config.locate(handlers[i]),
                                       "a second ptvsd handler: IIS answers HTTP 500.19 (remove one)"));
    }
  }
  for (const auto& handler : handlers) {
    if (auto order = check_handler_order(config, handler)) findings.push_back(std::move(*order));
    if (auto target = check_handler_target(config, handler, packaged)) findings.push_back(std::move(*target));
  }
  return findings;
}

std::vector<Finding> check_web_sockets(const XmlText& config) {
  std::vector<Finding> findings;
  for (const auto& match : config.document().select_nodes("//system.webServer/webSocket[@enabled]")) {
    // IIS reads booleans in any case.
    if (equal_ignoring_ascii_case(match.node().attribute("enabled").value(), "false")) {
      findings.push_back(check_finding(Code::check_web_sockets, config.locate(match.node()),
                                       "<webSocket enabled=\"false\"/>: the debugger cannot connect "
                                       "(set it to true, or delete the element)"));
    }
  }
  return findings;
}

// A request paused this long at a breakpoint is a debugging session, not a hung request; a
// server that cuts requests sooner is worth a warning.
constexpr long long debug_pause_seconds = 10 * 60;

bool contains_ignoring_case(std::string_view text, std::string_view word) {
  for (std::size_t at = 0; at + word.size() <= text.size(); ++at) {
    if (equal_ignoring_ascii_case(text.substr(at, word.size()), word)) return true;
  }
  return false;
}

// gunicorn's --timeout in a command line (`--timeout N`, `--timeout=N`, `-t N`; the last wins, as
// gunicorn's parser has it), or nullopt when none is given or its value is not a number.
std::optional<long long> gunicorn_timeout(const std::string& command_line) {
  std::istringstream words(command_line);
  std::optional<long long> timeout;
  std::string word;
  while (words >> word) {
    std::string value;
    if (word == "--timeout" || word == "-t") {
      if (!(words >> value)) break;
    } else if (word.rfind("--timeout=", 0) == 0) {
      value = word.substr(10);
    } else {
      continue;
    }
    if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos || value.size() > 9) {
      timeout.reset();
      continue;
    }
    timeout = std::stoll(value);
  }
  return timeout;
}

// An <httpPlatform> that starts gunicorn (its process or its arguments name it): its command line
// as gunicorn reads it, GUNICORN_CMD_ARGS first and the arguments after (they override it).
std::optional<std::string> gunicorn_command_line(const pugi::xml_node& platform) {
  const std::string process = platform.attribute("processPath").value();
  const std::string arguments = platform.attribute("arguments").value();
  if (!contains_ignoring_case(process + " " + arguments, "gunicorn")) return std::nullopt;
  const auto variable =
      platform.select_node("environmentVariables/environmentVariable[@name='GUNICORN_CMD_ARGS']").node();
  return std::string(variable.attribute("value").value()) + " " + arguments;
}

std::optional<Finding> check_gunicorn_timeout(const XmlText& config, const pugi::xml_node& platform) {
  const auto command_line = gunicorn_command_line(platform);
  if (!command_line) return std::nullopt;
  const auto timeout = gunicorn_timeout(*command_line);
  const long long seconds = timeout.value_or(30);
  if (seconds == 0 || seconds >= debug_pause_seconds) return std::nullopt;  // 0: gunicorn never kills
  return check_finding(Code::check_gunicorn_timeout, config.locate(platform),
                       "gunicorn kills a worker that has not answered its master for --timeout seconds (" +
                           (timeout ? "here " + std::to_string(seconds) : std::string("30 by default")) +
                           "), and a worker paused at a breakpoint does not answer: the request and the debug "
                           "session end; add --timeout 1800 to its arguments while you debug");
}

// IIS writes requestTimeout as a TimeSpan: [d.]hh:mm:ss[.fraction].
std::optional<long long> timespan_seconds(const std::string& text) {
  static const std::regex timespan(R"(^\s*(?:(\d{1,5})\.)?(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?\s*$)");
  std::smatch parts;
  if (!std::regex_match(text, parts, timespan)) return std::nullopt;
  const auto number = [&](std::size_t i) { return parts[i].matched ? std::stoll(parts[i].str()) : 0LL; };
  return ((number(1) * 24 + number(2)) * 60 + number(3)) * 60 + number(4);
}

std::vector<Finding> check_timeouts(const XmlText& config) {
  std::vector<Finding> findings;
  const auto fastcgi = config.document().select_node("//handlers/add[@modules='FastCgiModule']").node();
  if (fastcgi) {
    findings.push_back(check_finding(Code::check_timeout, config.locate(fastcgi),
                                     "IIS ends a FastCGI request after 90 s by default (requestTimeout, "
                                     "activityTimeout): a request paused at a breakpoint longer than that is cut; "
                                     "raise both in <fastCgi><application .../> (Azure: applicationHost.xdt)"));
  }
  for (const auto& match : config.document().select_nodes("//httpPlatform")) {
    const auto platform = match.node();
    if (!platform.attribute("requestTimeout")) {
      findings.push_back(check_finding(Code::check_timeout, config.locate(platform),
                                       "<httpPlatform> without requestTimeout ends a request after 2 minutes: "
                                       "a debug session paused longer is cut; set requestTimeout=\"00:30:00\""));
    } else if (const auto seconds = timespan_seconds(platform.attribute("requestTimeout").value());
               seconds && *seconds < debug_pause_seconds) {
      findings.push_back(check_finding(Code::check_request_timeout_short, config.locate(platform),
                                       "<httpPlatform requestTimeout=\"" +
                                           std::string(platform.attribute("requestTimeout").value()) +
                                           "\"> ends a request paused at a breakpoint, and the debug session with "
                                           "it, in under 10 minutes; set requestTimeout=\"00:30:00\" while you debug"));
    }
    if (auto gunicorn = check_gunicorn_timeout(config, platform)) findings.push_back(std::move(*gunicorn));
  }
  return findings;
}

// The transform and locator names Microsoft.Web.XmlTransform knows; anything else makes it fail.
bool is_known_xdt(std::string_view attribute, std::string_view value) {
  static constexpr std::array<std::string_view, 10> transforms = {
      "Insert",    "InsertIfMissing",  "InsertBefore",  "InsertAfter", "Remove",
      "RemoveAll", "RemoveAttributes", "SetAttributes", "Replace",     "XSLT"};
  static constexpr std::array<std::string_view, 3> locators = {"Match", "Condition", "XPath"};
  const auto name = value.substr(0, value.find('('));
  const bool balanced = name.size() == value.size() || value.back() == ')';
  const auto known = [&](const auto& names) { return std::find(names.begin(), names.end(), name) != names.end(); };
  return balanced && (attribute == "Transform" ? known(transforms) : known(locators));
}

std::string xdt_prefix(const XmlText& transform) {
  for (const auto& attribute : transform.document().document_element().attributes()) {
    const std::string_view name = attribute.name();
    if (name.substr(0, 6) == "xmlns:" && std::string_view(attribute.value()) == xdt_namespace) {
      return std::string(name.substr(6));
    }
  }
  return {};
}

}  // namespace

int check_exit_code(Code code) {
  switch (code) {
    case Code::check_secret_missing: return 10;
    case Code::check_secret_weak: return 11;
    case Code::check_secret_not_url_safe: return 12;
    case Code::check_secret_twice: return 13;
    case Code::check_handler_missing: return 20;
    case Code::check_handler_twice: return 21;
    case Code::check_handler_order: return 22;
    case Code::check_handler_target: return 23;
    case Code::check_proxy_missing: return 30;
    case Code::check_proxy_mismatch: return 31;
    case Code::check_proxy_format: return 32;
    case Code::check_web_sockets: return 40;
    case Code::check_transform: return 50;
    case Code::check_timeout:
    case Code::check_gunicorn_timeout:
    case Code::check_request_timeout_short:
    default: return 0;
  }
}

Finding check_finding(Code code, Location where, std::string message) {
  const auto severity = check_exit_code(code) == 0 ? Severity::warning : Severity::error;
  return {{severity, code, std::move(where), std::move(message)}};
}

std::vector<Finding> check_secret(const XmlText& config) {
  const auto settings = secret_settings(config);
  if (settings.empty()) {
    return {check_finding(Code::check_secret_missing, {config.path(), 0, 0},
                          "no WSGI_PTVSD_SECRET app setting: no debugger can attach (publish in Debug to add one)")};
  }
  std::vector<Finding> findings;
  const std::string_view value = settings.front().attribute("value").value();
  if (value.find_first_not_of(base64url_alphabet) != std::string_view::npos) {
    findings.push_back(check_finding(Code::check_secret_not_url_safe, config.locate(settings.front()),
                                     "WSGI_PTVSD_SECRET has characters a wss:// URL must escape: rotate it "
                                     "(ptvsd-publish rotate)"));
  }
  if (const auto weakness = secret_weakness(value, "WSGI_PTVSD_SECRET")) {
    findings.push_back(check_finding(Code::check_secret_weak, config.locate(settings.front()),
                                     *weakness + ": rotate it (ptvsd-publish rotate)"));
  }
  for (std::size_t i = 1; i < settings.size(); ++i) {
    findings.push_back(check_finding(Code::check_secret_twice, config.locate(settings[i]),
                                     "WSGI_PTVSD_SECRET appears twice: keep one"));
  }
  return findings;
}

std::vector<Finding> check_site_config(const XmlText& web_config, const PackagedLookup& packaged) {
  auto findings = check_secret(web_config);
  for (auto& finding : check_handlers(web_config, packaged)) findings.push_back(std::move(finding));
  for (auto& finding : check_web_sockets(web_config)) findings.push_back(std::move(finding));
  for (auto& finding : check_timeouts(web_config)) findings.push_back(std::move(finding));
  return findings;
}

std::vector<Finding> check_transform(const XmlText& transform) {
  auto findings = check_secret(transform);
  const auto prefix = xdt_prefix(transform);
  if (prefix.empty()) {
    findings.push_back(check_finding(Code::check_transform, {transform.path(), 0, 0},
                                     "the root does not declare the XDT namespace, so XDT would apply nothing: "
                                     "add xmlns:xdt=\"" +
                                         std::string(xdt_namespace) + "\" to <configuration>"));
    return findings;
  }
  for (const auto& match : transform.document().select_nodes("//*")) {
    for (const auto& attribute : match.node().attributes()) {
      const std::string_view name = attribute.name();
      if (name.size() <= prefix.size() + 1 || name.substr(0, prefix.size() + 1) != prefix + ":") continue;
      const auto local = name.substr(prefix.size() + 1);
      if ((local == "Transform" || local == "Locator") && is_known_xdt(local, attribute.value())) continue;
      // Only the name: the arguments of a locator may quote the secret.
      const std::string_view value = attribute.value();
      const auto valid = local == "Transform" ? "Insert, InsertIfMissing, InsertBefore(), InsertAfter(), "
                                                "Remove, RemoveAll, RemoveAttributes(), SetAttributes(), "
                                                "Replace, XSLT()"
                                              : "Match(), Condition(), XPath()";
      findings.push_back(check_finding(Code::check_transform, transform.locate(match.node()),
                                       std::string(name) + " '" + std::string(value.substr(0, value.find('('))) +
                                           "' is unknown to the XDT engine, which would fail the publish: use " +
                                           valid));
    }
  }
  for (auto& finding : check_web_sockets(transform)) findings.push_back(std::move(finding));
  return findings;
}

bool runs_packaged_proxy(const XmlText& web_config) {
  return static_cast<bool>(
      web_config.document().select_node("//handlers/add[@name='ptvsd'][@modules='httpPlatformHandler']"));
}

std::vector<Finding> check_proxy_package(const std::string& proxy_path, const std::optional<std::string>& proxy,
                                         const std::string& manifest_path, const std::optional<std::string>& manifest) {
  if (!proxy) {
    return {check_finding(Code::check_proxy_missing, {proxy_path, 0, 0},
                          "the proxy is not in the publish output: publish again with --publish-dir")};
  }
  std::vector<Finding> findings;
  const auto format = executable_format(*proxy);
  if (format != ExecutableFormat::pe_x64) {
    findings.push_back(check_finding(Code::check_proxy_format, {proxy_path, 0, 0},
                                     "the proxy is " + describe(format) +
                                         ", but IIS runs it on the site's Windows x64: publish again with the "
                                         "win-x64 ptvsd-proxy.exe"));
  }
  if (!manifest) {
    findings.push_back(check_finding(Code::check_proxy_mismatch, {manifest_path, 0, 0},
                                     "the proxy's manifest is missing: publish again"));
    return findings;
  }
  const auto name = proxy_path.substr(proxy_path.find_last_of("/\\") + 1);
  try {
    verify_manifest(*manifest, manifest_path, name, *proxy);
  } catch (const Error& error) {
    findings.push_back(check_finding(Code::check_proxy_mismatch, error.where(), error.what()));
  }
  return findings;
}

}  // namespace ptvsd
