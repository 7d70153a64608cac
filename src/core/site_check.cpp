#include "core/site_check.h"

#include <algorithm>
#include <array>

#include "core/config_edit.h"
#include "core/package.h"

namespace ptvsd {

namespace {

constexpr std::string_view base64url_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view classic_handler_type = "Microsoft.PythonTools.Debugger.WebSocketProxy";
constexpr std::string_view xdt_namespace = "http://schemas.microsoft.com/XML-Document-Transform";

Finding problem(int exit_code, Code code, Location where, std::string message) {
  return {exit_code, {Severity::error, code, std::move(where), std::move(message)}};
}

Finding warning(Code code, Location where, std::string message) {
  return {0, {Severity::warning, code, std::move(where), std::move(message)}};
}

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
      return problem(check_exit::handler_after_catch_all, Code::check_handler_order, config.locate(handler),
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
  // A proxy built on Linux is packaged without ".exe" beside a template written for Windows.
  const std::string_view exe = ".exe";
  if (target->size() > exe.size() && target->compare(target->size() - exe.size(), exe.size(), exe) == 0 &&
      packaged(target->substr(0, target->size() - exe.size()))) {
    return std::nullopt;
  }
  const bool classic = target->find("WebRole") != std::string::npos;
  return problem(check_exit::handler_target_missing, Code::check_handler_target, config.locate(handler),
                 "the ptvsd handler needs " + *target + ", which the publish output does not hold: " +
                     (classic ? "add that assembly (it comes with the Visual Studio Python tools), or "
                                "publish with the native template"
                              : "package the proxy (publish --publish-dir)"));
}

std::vector<Finding> check_handlers(const XmlText& config, const PackagedLookup& packaged) {
  const auto handlers = ptvsd_handlers(config);
  if (handlers.empty()) {
    return {problem(check_exit::handler_missing, Code::check_handler_missing, {config.path(), 0, 0},
                    "no <add name=\"ptvsd\"/> handler: requests to /ptvsd never reach the proxy "
                    "(publish in Debug to add it)")};
  }
  std::vector<Finding> findings;
  for (std::size_t i = 1; i < handlers.size(); ++i) {
    if (handlers[i].parent() == handlers[0].parent()) {
      findings.push_back(problem(check_exit::handler_twice, Code::check_handler_twice, config.locate(handlers[i]),
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
    std::string enabled = match.node().attribute("enabled").value();
    std::transform(enabled.begin(), enabled.end(), enabled.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (enabled == "false") {  // IIS reads booleans in any case
      findings.push_back(problem(check_exit::web_sockets_off, Code::check_web_sockets, config.locate(match.node()),
                                 "<webSocket enabled=\"false\"/>: the debugger cannot connect "
                                 "(set it to true, or delete the element)"));
    }
  }
  return findings;
}

std::vector<Finding> check_timeouts(const XmlText& config) {
  std::vector<Finding> findings;
  const auto fastcgi = config.document().select_node("//handlers/add[@modules='FastCgiModule']").node();
  if (fastcgi) {
    findings.push_back(warning(Code::check_timeout, config.locate(fastcgi),
                               "IIS ends a FastCGI request after 90 s by default (requestTimeout, "
                               "activityTimeout): a request paused at a breakpoint longer than that is cut; "
                               "raise both in <fastCgi><application .../> (Azure: applicationHost.xdt)"));
  }
  for (const auto& match : config.document().select_nodes("//httpPlatform")) {
    if (!match.node().attribute("requestTimeout")) {
      findings.push_back(warning(Code::check_timeout, config.locate(match.node()),
                                 "<httpPlatform> without requestTimeout ends a request after 2 minutes: "
                                 "a debug session paused longer is cut; set requestTimeout=\"00:30:00\""));
    }
  }
  return findings;
}

// The transform and locator names Microsoft.Web.XmlTransform knows; anything else makes it fail.
bool is_known_xdt(std::string_view attribute, std::string_view value) {
  static constexpr std::array<std::string_view, 10> transforms = {
      "Insert", "InsertIfMissing", "InsertBefore", "InsertAfter", "Remove",
      "RemoveAll", "RemoveAttributes", "SetAttributes", "Replace", "XSLT"};
  static constexpr std::array<std::string_view, 3> locators = {"Match", "Condition", "XPath"};
  const auto name = value.substr(0, value.find('('));
  const bool balanced = name.size() == value.size() || value.back() == ')';
  const auto known = [&](const auto& names) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
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

std::vector<Finding> check_secret(const XmlText& config) {
  const auto settings = secret_settings(config);
  if (settings.empty()) {
    return {problem(check_exit::secret_missing, Code::check_secret_missing, {config.path(), 0, 0},
                    "no WSGI_PTVSD_SECRET app setting: no debugger can attach (publish in Debug to add one)")};
  }
  std::vector<Finding> findings;
  const std::string_view value = settings.front().attribute("value").value();
  if (value.find_first_not_of(base64url_alphabet) != std::string_view::npos) {
    findings.push_back(problem(check_exit::secret_not_url_safe, Code::check_secret_not_url_safe,
                               config.locate(settings.front()),
                               "WSGI_PTVSD_SECRET has characters a wss:// URL must escape: rotate it "
                               "(ptvsd-publish rotate)"));
  }
  if (value.size() < encoded_length(Secret::min_bytes)) {
    findings.push_back(problem(check_exit::secret_weak, Code::check_secret_weak, config.locate(settings.front()),
                               "WSGI_PTVSD_SECRET carries at most " + std::to_string(value.size() * 6) +
                                   " bits, under the 128-bit floor: rotate it (ptvsd-publish rotate)"));
  }
  for (std::size_t i = 1; i < settings.size(); ++i) {
    findings.push_back(problem(check_exit::secret_twice, Code::check_secret_twice, config.locate(settings[i]),
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
    findings.push_back(problem(check_exit::transform_rejected, Code::check_transform, {transform.path(), 0, 0},
                               "the root does not declare the XDT namespace, so XDT would apply nothing: "
                               "add xmlns:xdt=\"" + std::string(xdt_namespace) + "\" to <configuration>"));
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
      findings.push_back(problem(check_exit::transform_rejected, Code::check_transform,
                                 transform.locate(match.node()),
                                 std::string(name) + " '" + std::string(value.substr(0, value.find('('))) +
                                     "' is unknown to the XDT engine, which would fail the publish: use " +
                                     valid));
    }
  }
  for (auto& finding : check_web_sockets(transform)) findings.push_back(std::move(finding));
  return findings;
}

std::vector<Finding> check_proxy_package(const std::string& proxy_path, const std::optional<std::string>& proxy,
                                         const std::string& manifest_path,
                                         const std::optional<std::string>& manifest) {
  if (!proxy) {
    return {problem(check_exit::proxy_missing, Code::check_proxy_missing, {proxy_path, 0, 0},
                    "the proxy is not in the publish output: publish again with --publish-dir")};
  }
  if (!manifest) {
    return {problem(check_exit::proxy_mismatch, Code::check_proxy_mismatch, {manifest_path, 0, 0},
                    "the proxy's manifest is missing: publish again")};
  }
  const auto name = proxy_path.substr(proxy_path.find_last_of("/\\") + 1);
  try {
    verify_manifest(*manifest, manifest_path, name, *proxy);
  } catch (const Error& error) {
    return {problem(check_exit::proxy_mismatch, Code::check_proxy_mismatch, error.where(), error.what())};
  }
  return {};
}

}  // namespace ptvsd
