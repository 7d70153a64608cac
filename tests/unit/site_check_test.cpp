// What `check` decides, on parsed text: every finding's exit code, PTVSDnnn code and location.
// tests/cli/test_check.py keeps what only a run of the tool shows (reading the files, the exit
// code over several files, text and JSON output, --help, secrets kept out of the output).
#include "core/site_check.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "core/package.h"

namespace ptvsd {
namespace {

const std::string xdt_ns = "http://schemas.microsoft.com/XML-Document-Transform";
const std::string key = "WSGI_PTVSD_SECRET";
const std::string good = "kF3x9Qm2Lr7Tz0Wv5Yb8Nc1Hd4Jg6Ps-Ae_Uo3Ik9Rt";  // 43 base64url characters

const std::string classic =
    "<add name=\"ptvsd\" path=\"ptvsd\" verb=\"*\" resourceType=\"Unspecified\" "
    "type=\"Microsoft.PythonTools.Debugger.WebSocketProxy, Microsoft.PythonTools.WebRole\"/>";
const std::string platform =
    "<add name=\"ptvsd\" path=\"ptvsd\" verb=\"*\" modules=\"httpPlatformHandler\" resourceType=\"Unspecified\"/>";
const std::string catch_all =
    "<add name=\"StaticFile\" path=\"*\" verb=\"*\" modules=\"StaticFileModule\" resourceType=\"Either\"/>";
const std::string fastcgi =
    "<add name=\"Python FastCGI\" path=\"*\" verb=\"*\" modules=\"FastCgiModule\" "
    "scriptProcessor=\"D:\\home\\python\\python.exe|D:\\home\\python\\wfastcgi.py\" resourceType=\"Unspecified\"/>";
const std::string sockets_on = "<webSocket enabled=\"true\"/>";
const std::string sockets_off = "<webSocket enabled=\"false\"/>";
const std::string http_platform =
    "<httpPlatform processPath=\".\\bin\\ptvsd-proxy.exe\" arguments=\"--port %HTTP_PLATFORM_PORT%\" "
    "requestTimeout=\"00:30:00\"/>";
const std::string web_role_dll = "bin/Microsoft.PythonTools.WebRole.dll";
const std::string proxy_file = "bin/ptvsd-proxy";

std::string setting(const std::string& value, const std::string& attributes = "") {
  return "<add key=\"" + key + "\" value=\"" + value + "\"" + attributes + "/>";
}

std::string good_setting(const std::string& value) {
  return setting(value, " xdt:Transform=\"SetAttributes\" xdt:Locator=\"Match(key)\"");
}

// A user-owned web.debug.config, as in tests/cli/test_check.py.
std::string debug_config(const std::vector<std::string>& settings, const std::string& server = "",
                         const std::string& root = "xmlns:xdt=\"" + xdt_ns + "\"") {
  std::string text = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration" +
                     (root.empty() ? std::string() : " " + root) + ">\n  <appSettings>\n";
  for (const auto& s : settings) text += "    " + s + "\n";
  text += "  </appSettings>\n";
  if (!server.empty()) text += "  <system.webServer>\n    " + server + "\n  </system.webServer>\n";
  return text + "</configuration>\n";
}

// A deployed web.config; no setting when `secret` is empty.
std::string web_config(const std::string& secret, const std::vector<std::string>& handlers = {classic},
                       const std::vector<std::string>& server = {sockets_on}) {
  std::string text = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <appSettings>\n";
  if (!secret.empty()) text += "    " + setting(secret) + "\n";
  text += "  </appSettings>\n  <system.webServer>\n";
  for (const auto& s : server) text += "    " + s + "\n";
  text += "    <handlers>\n";
  for (const auto& h : handlers) text += "      " + h + "\n";
  return text + "    </handlers>\n  </system.webServer>\n</configuration>\n";
}

// Where the element whose start tag begins with `needle` (the `occurrence`-th) is located: its
// line, and the column of its name, from 1.
Location at(const std::string& text, const std::string& needle, int occurrence = 1) {
  std::size_t found = std::string::npos;
  for (int i = 0; i < occurrence; ++i) found = text.find(needle, found == std::string::npos ? 0 : found + 1);
  EXPECT_NE(found, std::string::npos) << needle;
  const auto line_start = text.rfind('\n', found);
  const int line =
      static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(found), '\n')) + 1;
  const auto column = found - (line_start == std::string::npos ? 0 : line_start + 1) + 2;
  return {"c", line, static_cast<int>(column)};
}

const Location unlocated{"c", 0, 0};

std::multiset<int> codes(const std::vector<Finding>& findings) {
  std::multiset<int> found;
  for (const auto& f : findings) found.insert(static_cast<int>(f.diagnostic.code));
  return found;
}

// The words that make each finding's message a fix, not only a diagnosis (README: "Each problem is
// one line with its fix"), searched after the message's first ": ", where the fix is.
const std::map<Code, std::regex>& fixes() {
  static const std::map<Code, std::regex> words = {
      {Code::check_secret_missing, std::regex(R"(\bpublish\b)")},
      {Code::check_secret_weak, std::regex(R"(\brotate\b)")},
      {Code::check_secret_not_url_safe, std::regex(R"(\brotate\b)")},
      {Code::check_secret_twice, std::regex(R"(\b(keep one|remove|delete)\b)")},
      {Code::check_handler_missing, std::regex(R"(\bpublish\b)")},
      {Code::check_handler_twice, std::regex(R"(\b(remove|delete)\b)")},
      {Code::check_handler_order, std::regex(R"(\b(move|publish again)\b)")},
      {Code::check_handler_target, std::regex(R"(\b(package|publish)\b)")},
      {Code::check_proxy_missing, std::regex(R"(\bpublish\b)")},
      {Code::check_proxy_mismatch, std::regex(R"(\bpublish\b)")},
      {Code::check_proxy_format, std::regex(R"(\bpublish\b)")},
      {Code::check_web_sockets, std::regex(R"(\b(set it to true|enable|delete|remove)\b)")},
      {Code::check_transform, std::regex(R"(\b(use|replace|change|correct|rename|declare|add|fix)\b)")},
      {Code::check_timeout, std::regex(R"(\b(raise|set|increase)\b)")},
      {Code::check_gunicorn_timeout, std::regex(R"(\badd --timeout 1800\b)")},
      {Code::check_request_timeout_short, std::regex(R"(\bset requestTimeout="00:30:00")")},
  };
  return words;
}

// The finding with `code` at `where`, whose message offers a fix; fails the test when there is none.
Finding finding(const std::vector<Finding>& findings, Code code, const Location& where) {
  for (const auto& f : findings) {
    const auto& w = f.diagnostic.where;
    if (f.diagnostic.code == code && w.file == where.file && w.line == where.line && w.column == where.column) {
      const auto& message = f.diagnostic.message;
      const auto colon = message.find(": ");
      const auto remedy = colon == std::string::npos ? message : message.substr(colon + 2);
      EXPECT_TRUE(std::regex_search(remedy, fixes().at(code))) << "no fix: " << message;
      return f;
    }
  }
  ADD_FAILURE() << "no PTVSD" << static_cast<int>(code) << " at (" << where.line << "," << where.column << ")";
  return {{Severity::error, code, {}, "none"}};
}

int lowest_exit(const std::vector<Finding>& findings) {
  int lowest = 0;
  for (const auto& f : findings) {
    if (f.exit_code() != 0 && (lowest == 0 || f.exit_code() < lowest)) lowest = f.exit_code();
  }
  return lowest;
}

std::vector<Finding> transform(const std::string& text) { return check_transform(XmlText(text, "c")); }

std::vector<Finding> site(const std::string& text, const std::set<std::string>& packaged = {web_role_dll}) {
  return check_site_config(XmlText(text, "c"),
                           [&](std::string_view path) { return packaged.count(std::string(path)) != 0; });
}

// --- exit codes ---------------------------------------------------------------------------------

// The table in README ("check"), which scripts rely on: each code has one exit code, and the
// warnings exit 0. The tests below compare findings with these numbers.
TEST(CheckExitCodes, EachCodeHasTheDocumentedExitCodeAndSeverity) {
  const std::map<Code, int> documented = {
      {Code::check_secret_missing, 10},      {Code::check_secret_weak, 11},     {Code::check_secret_not_url_safe, 12},
      {Code::check_secret_twice, 13},        {Code::check_handler_missing, 20}, {Code::check_handler_twice, 21},
      {Code::check_handler_order, 22},       {Code::check_handler_target, 23},  {Code::check_proxy_missing, 30},
      {Code::check_proxy_mismatch, 31},      {Code::check_proxy_format, 32},    {Code::check_web_sockets, 40},
      {Code::check_transform, 50},           {Code::check_timeout, 0},          {Code::check_gunicorn_timeout, 0},
      {Code::check_request_timeout_short, 0}};
  for (const auto& [code, exit_code] : documented) {
    SCOPED_TRACE(static_cast<int>(code));
    const auto found = check_finding(code, {"c", 1, 2}, "m");
    EXPECT_EQ(found.exit_code(), exit_code);
    EXPECT_EQ(found.diagnostic.severity, exit_code == 0 ? Severity::warning : Severity::error);
    EXPECT_EQ(found.diagnostic.code, code);
    EXPECT_EQ(found.diagnostic.where.column, 2);
    EXPECT_EQ(found.diagnostic.message, "m");
  }
}

// --- web.debug.config ---------------------------------------------------------------------------

TEST(CheckTransform, MissingSettingAndOneOnlyInACommentAreMissing) {
  for (const auto& text : {debug_config({}), debug_config({"<!-- " + setting(good) + " -->"})}) {
    const auto findings = transform(text);
    EXPECT_EQ(finding(findings, Code::check_secret_missing, unlocated).exit_code(), 10);
    EXPECT_EQ(codes(findings), std::multiset<int>{101});
  }
}

TEST(CheckTransform, GoodSecretIsClean) { EXPECT_TRUE(transform(debug_config({good_setting(good)})).empty()); }

TEST(CheckTransform, SecretOf21CharactersIsWeakAnd22Enough) {
  const auto text = debug_config({good_setting(good.substr(0, 21))});
  const auto findings = transform(text);
  const auto& weak = finding(findings, Code::check_secret_weak, at(text, "<add key="));
  EXPECT_EQ(weak.exit_code(), 11);
  EXPECT_NE(weak.diagnostic.message.find("128"), std::string::npos);
  EXPECT_NE(weak.diagnostic.message.find("rotate"), std::string::npos);
  EXPECT_EQ(codes(findings), std::multiset<int>{102});
  EXPECT_TRUE(transform(debug_config({good_setting(good.substr(0, 22))})).empty());
}

TEST(CheckTransform, LongSecretOfFewDistinctCharactersIsWeak) {
  const auto text = debug_config({good_setting(std::string(43, 'a'))});
  const auto& weak = finding(transform(text), Code::check_secret_weak, at(text, "<add key="));
  EXPECT_NE(weak.diagnostic.message.find("distinct characters"), std::string::npos);
}

TEST(CheckTransform, SecretWithCharactersAUrlMustEscape) {
  for (const char* bad : {"+", "/", "="}) {
    const auto text = debug_config({good_setting(good.substr(0, 40) + bad + "xY")});
    const auto findings = transform(text);
    EXPECT_EQ(finding(findings, Code::check_secret_not_url_safe, at(text, "<add key=")).exit_code(), 12);
    EXPECT_EQ(codes(findings), std::multiset<int>{103}) << bad;
  }
}

TEST(CheckTransform, SecretTwiceIsLocatedAtTheSecond) {
  const auto text = debug_config({good_setting(good), good_setting(good + "x")});
  const auto findings = transform(text);
  EXPECT_EQ(finding(findings, Code::check_secret_twice, at(text, "<add key=", 2)).exit_code(), 13);
  EXPECT_EQ(codes(findings), std::multiset<int>{104});
}

TEST(CheckTransform, UnknownTransformOrLocatorIsLocatedAndNamed) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {" xdt:Transform=\"Inserted\"", "Inserted"},
      {" xdt:Transform=\"Replace\" xdt:Locator=\"Matches(key)\"", "Matches"}};
  for (const auto& [attributes, name] : cases) {
    const auto text = debug_config({setting(good, attributes)});
    const auto findings = transform(text);
    const auto& unknown = finding(findings, Code::check_transform, at(text, "<add key="));
    EXPECT_EQ(unknown.exit_code(), 50);
    EXPECT_NE(unknown.diagnostic.message.find(name), std::string::npos);
    EXPECT_NE(unknown.diagnostic.message.find("use "), std::string::npos);
    EXPECT_EQ(codes(findings), std::multiset<int>{140});
  }
}

TEST(CheckTransform, LocatorThatQuotesTheSecretDoesNotShowIt) {
  const auto text =
      debug_config({setting(good, " xdt:Transform=\"Replace\" xdt:Locator=\"Conditon(@value='" + good + "')\"")});
  const auto findings = transform(text);
  const auto& unknown = finding(findings, Code::check_transform, at(text, "<add key="));
  EXPECT_EQ(unknown.diagnostic.message.find(good), std::string::npos) << unknown.diagnostic.message;
}

TEST(CheckTransform, UnknownTransformDeeperInTheDocument) {
  const auto text =
      debug_config({good_setting(good)}, "<webSocket enabled=\"true\" xdt:Transform=\"SetAttribute(enabled)\"/>");
  finding(transform(text), Code::check_transform, at(text, "<webSocket"));
}

TEST(CheckTransform, KnownTransformsAndLocatorsUnderAnyPrefixPass) {
  const auto text = debug_config(
      {setting(good, " t:Transform=\"Replace\" t:Locator=\"Condition(@key='WSGI_PTVSD_SECRET')\""),
       "<add key=\"other\" x:Transform=\"Frobnicate\" xmlns:x=\"urn:not-xdt\"/>"},
      "<webSocket enabled=\"true\" t:Transform=\"SetAttributes(enabled)\"/>", "xmlns:t=\"" + xdt_ns + "\"");
  EXPECT_TRUE(transform(text).empty());
}

TEST(CheckTransform, NoXdtNamespaceOnTheRoot) {
  for (const std::string& root : std::vector<std::string>{"", "xmlns:xdt=\"" + xdt_ns + "s\""}) {
    const auto findings = transform(debug_config({setting(good)}, "", root));
    EXPECT_EQ(finding(findings, Code::check_transform, unlocated).exit_code(), 50);
    EXPECT_EQ(codes(findings), std::multiset<int>{140}) << root;
  }
}

TEST(CheckTransform, WebSocketsSwitchedOff) {
  const auto text =
      debug_config({good_setting(good)}, "<webSocket enabled=\"false\" xdt:Transform=\"SetAttributes(enabled)\"/>");
  const auto findings = transform(text);
  EXPECT_EQ(finding(findings, Code::check_web_sockets, at(text, "<webSocket")).exit_code(), 40);
  EXPECT_EQ(codes(findings), std::multiset<int>{130});
}

TEST(CheckTransform, SeveralProblemsAreAllListed) {
  const auto text = debug_config({setting("aB3dE6gH9k+/=", " xdt:Transform=\"Inserted\""), good_setting(good)},
                                 "<webSocket enabled=\"false\" xdt:Transform=\"SetAttributes(enabled)\"/>");
  const auto findings = transform(text);
  const auto first = at(text, "<add key="), second = at(text, "<add key=", 2);
  finding(findings, Code::check_secret_weak, first);
  finding(findings, Code::check_secret_not_url_safe, first);
  finding(findings, Code::check_secret_twice, second);
  finding(findings, Code::check_web_sockets, at(text, "<webSocket"));
  finding(findings, Code::check_transform, first);
  EXPECT_EQ(codes(findings), (std::multiset<int>{102, 103, 104, 130, 140}));
  EXPECT_EQ(lowest_exit(findings), 11);
}

// --- deployed web.config ------------------------------------------------------------------------

TEST(CheckSite, ClassicHandlerWithItsAssemblyIsClean) {
  EXPECT_TRUE(site(web_config(good, {classic, catch_all})).empty());
}

TEST(CheckSite, SecretFindings) {
  EXPECT_EQ(finding(site(web_config("")), Code::check_secret_missing, unlocated).exit_code(), 10);
  for (const auto& [value, code] : {std::pair{good.substr(0, 21), Code::check_secret_weak},
                                    std::pair{good.substr(0, 42) + "=", Code::check_secret_not_url_safe}}) {
    const auto text = web_config(value);
    const auto findings = site(text);
    finding(findings, code, at(text, "<add key="));
    EXPECT_EQ(codes(findings), std::multiset<int>{static_cast<int>(code)});
  }
}

TEST(CheckSite, NoPtvsdHandler) {
  const auto findings = site(web_config(good, {catch_all}));
  EXPECT_EQ(finding(findings, Code::check_handler_missing, unlocated).exit_code(), 20);
  EXPECT_EQ(codes(findings), std::multiset<int>{110});
}

TEST(CheckSite, HandlerTwiceIsLocatedAtTheSecond) {
  const auto text = web_config(good, {classic, classic, catch_all});
  const auto findings = site(text);
  EXPECT_EQ(finding(findings, Code::check_handler_twice, at(text, "<add name=\"ptvsd\"", 2)).exit_code(), 21);
  EXPECT_EQ(codes(findings), std::multiset<int>{111});
}

TEST(CheckSite, HandlerAfterACatchAll) {
  const auto text = web_config(good, {catch_all, classic});
  const auto findings = site(text);
  const auto& order = finding(findings, Code::check_handler_order, at(text, "<add name=\"ptvsd\""));
  EXPECT_EQ(order.exit_code(), 22);
  EXPECT_NE(order.diagnostic.message.find("StaticFile"), std::string::npos);
  EXPECT_EQ(codes(findings), std::multiset<int>{112});
}

TEST(CheckSite, CatchAllBeforeAClearDoesNotCount) {
  EXPECT_TRUE(site(web_config(good, {catch_all, "<clear/>", classic, catch_all})).empty());
}

TEST(CheckSite, HandlerWhoseTargetIsNotPackaged) {
  const auto classic_text = web_config(good);
  const auto& assembly =
      finding(site(classic_text, {}), Code::check_handler_target, at(classic_text, "<add name=\"ptvsd\""));
  EXPECT_EQ(assembly.exit_code(), 23);
  EXPECT_NE(assembly.diagnostic.message.find("Microsoft.PythonTools.WebRole.dll"), std::string::npos);

  const auto platform_text = web_config(good, {platform}, {sockets_on, http_platform});
  const auto& proxy =
      finding(site(platform_text, {}), Code::check_handler_target, at(platform_text, "<add name=\"ptvsd\""));
  EXPECT_NE(proxy.diagnostic.message.find("ptvsd-proxy"), std::string::npos);
}

TEST(CheckSite, ProxyPackagedAsExeIsFoundAndWithoutExeIsNot) {
  const auto text = web_config(good, {platform}, {sockets_on, http_platform});
  EXPECT_TRUE(site(text, {proxy_file + ".exe"}).empty());
  // What older publishes left on Linux: a name IIS does not start.
  const auto findings = site(text, {proxy_file});
  const auto missing = finding(findings, Code::check_handler_target, at(text, "<add name=\"ptvsd\""));
  EXPECT_NE(missing.diagnostic.message.find("it holds bin/ptvsd-proxy,"), std::string::npos)
      << missing.diagnostic.message;
}

TEST(CheckSite, WebSocketsOff) {
  const auto text = web_config(good, {classic}, {sockets_off});
  const auto findings = site(text);
  EXPECT_EQ(finding(findings, Code::check_web_sockets, at(text, "<webSocket")).exit_code(), 40);
  EXPECT_EQ(codes(findings), std::multiset<int>{130});
}

TEST(CheckSite, SeveralProblemsAreAllListed) {
  const auto text = web_config(good, {catch_all, classic, classic}, {sockets_off});
  const auto findings = site(text);
  finding(findings, Code::check_handler_twice, at(text, "<add name=\"ptvsd\"", 2));
  finding(findings, Code::check_handler_order, at(text, "<add name=\"ptvsd\""));
  finding(findings, Code::check_web_sockets, at(text, "<webSocket"));
  EXPECT_EQ(lowest_exit(findings), 21);
}

// --- request timeouts: warnings -----------------------------------------------------------------

Finding only_warning(const std::vector<Finding>& findings, Code code, const Location& where) {
  EXPECT_EQ(codes(findings), std::multiset<int>{static_cast<int>(code)});
  auto found = finding(findings, code, where);
  EXPECT_EQ(found.exit_code(), 0);
  EXPECT_EQ(found.diagnostic.severity, Severity::warning);
  return found;
}

TEST(CheckTimeouts, FastCgiHandler) {
  const auto text = web_config(good, {classic, fastcgi});
  const auto& found = only_warning(site(text), Code::check_timeout, at(text, "<add name=\"Python FastCGI\""));
  EXPECT_NE(found.diagnostic.message.find("90 s"), std::string::npos);
}

TEST(CheckTimeouts, WarningBesideAnErrorKeepsTheErrorExit) {
  const auto text = web_config(good, {fastcgi, classic});
  const auto findings = site(text);
  finding(findings, Code::check_timeout, at(text, "<add name=\"Python FastCGI\""));
  EXPECT_EQ(lowest_exit(findings), 22);
}

TEST(CheckTimeouts, HttpPlatformWithoutOrWithRequestTimeout) {
  const auto text = web_config(good, {platform},
                               {sockets_on,
                                "<httpPlatform processPath=\".\\bin\\ptvsd-proxy.exe\" "
                                "arguments=\"--port %HTTP_PLATFORM_PORT%\"/>"});
  only_warning(site(text, {proxy_file + ".exe"}), Code::check_timeout, at(text, "<httpPlatform"));
  EXPECT_TRUE(site(web_config(good, {platform}, {sockets_on, http_platform}), {proxy_file + ".exe"}).empty());
}

// The site's own <httpPlatform>, starting Python with `arguments`.
std::string site_platform(const std::string& arguments, const std::string& request_timeout = "00:30:00",
                          const std::string& environment = "") {
  return "<httpPlatform processPath=\"D:\\home\\python311x64\\python.exe\" arguments=\"" + arguments + "\"" +
         (request_timeout.empty() ? "" : " requestTimeout=\"" + request_timeout + "\"") + ">" +
         (environment.empty() ? "" : "<environmentVariables>" + environment + "</environmentVariables>") +
         "</httpPlatform>";
}

std::string gunicorn_cmd_args(const std::string& value) {
  return "<environmentVariable name=\"GUNICORN_CMD_ARGS\" value=\"" + value + "\"/>";
}

struct Platform {
  std::string text;
  std::vector<Finding> findings;
  Location where;
};

Platform check_platform(const std::string& platform_element) {
  auto text = web_config(good, {classic}, {sockets_on, platform_element});
  auto findings = site(text);
  const auto where = at(text, "<httpPlatform");
  return {std::move(text), std::move(findings), where};
}

TEST(CheckServerTimeouts, GunicornWithItsDefaultTimeout) {
  const auto p = check_platform(site_platform("-m gunicorn --bind 127.0.0.1:%HTTP_PLATFORM_PORT% app:app"));
  const auto& found = only_warning(p.findings, Code::check_gunicorn_timeout, p.where);
  EXPECT_NE(found.diagnostic.message.find("30 by default"), std::string::npos);
  EXPECT_NE(found.diagnostic.message.find("add --timeout 1800"), std::string::npos);
}

TEST(CheckServerTimeouts, GunicornWithAShortTimeoutInAnySpelling) {
  for (const char* arguments : {"-m gunicorn --timeout 120 app:app", "-m gunicorn --timeout=120 app:app",
                                "-m gunicorn -t 120 app:app", "-m gunicorn -t 1800 --timeout 120 app:app"}) {
    const auto p = check_platform(site_platform(arguments));
    EXPECT_NE(only_warning(p.findings, Code::check_gunicorn_timeout, p.where).diagnostic.message.find("here 120"),
              std::string::npos)
        << arguments;
  }
}

TEST(CheckServerTimeouts, GunicornWithALongOrNoTimeout) {
  for (const char* arguments :
       {"-m gunicorn --timeout 1800 app:app", "-m gunicorn --timeout=0 app:app", "-m gunicorn -t 600 app:app"}) {
    EXPECT_TRUE(check_platform(site_platform(arguments)).findings.empty()) << arguments;
  }
}

TEST(CheckServerTimeouts, GunicornCmdArgsCountAndTheArgumentsOverrideThem) {
  EXPECT_TRUE(check_platform(site_platform("-m gunicorn app:app", "00:30:00", gunicorn_cmd_args("--timeout 1800")))
                  .findings.empty());
  const auto p =
      check_platform(site_platform("-m gunicorn -t 45 app:app", "00:30:00", gunicorn_cmd_args("--timeout 1800")));
  EXPECT_NE(only_warning(p.findings, Code::check_gunicorn_timeout, p.where).diagnostic.message.find("here 45"),
            std::string::npos);
}

TEST(CheckServerTimeouts, OtherServersHaveNoWorkerTimeout) {
  EXPECT_TRUE(check_platform(site_platform("-m waitress --port %HTTP_PLATFORM_PORT% app:app")).findings.empty());
}

TEST(CheckServerTimeouts, ShortRequestTimeout) {
  for (const std::string timeout : {"00:02:00", "00:09:59", "00:05:00.5"}) {
    const auto p = check_platform(site_platform("-m waitress app:app", timeout));
    const auto& found = only_warning(p.findings, Code::check_request_timeout_short, p.where);
    EXPECT_NE(found.diagnostic.message.find("requestTimeout=\"" + timeout + "\""), std::string::npos);
    EXPECT_NE(found.diagnostic.message.find("set requestTimeout=\"00:30:00\""), std::string::npos);
  }
}

TEST(CheckServerTimeouts, LongRequestTimeout) {
  for (const char* timeout : {"00:10:00", "00:30:00", "1.00:00:00"}) {
    EXPECT_TRUE(check_platform(site_platform("-m waitress app:app", timeout)).findings.empty()) << timeout;
  }
}

TEST(CheckServerTimeouts, GunicornAndShortRequestTimeoutTogether) {
  const auto p = check_platform(site_platform("-m gunicorn app:app", "00:01:00"));
  finding(p.findings, Code::check_gunicorn_timeout, p.where);
  finding(p.findings, Code::check_request_timeout_short, p.where);
  EXPECT_EQ(codes(p.findings), (std::multiset<int>{151, 152}));
}

// --- the packaged proxy -------------------------------------------------------------------------

// Bytes the format check takes for a win-x64 program: MZ, e_lfanew at 0x3c pointing at "PE\0\0"
// and machine 0x8664, then `body` (as blackbox.windows_program).
std::string windows_program(const std::string& body) {
  std::string header(0x40, '\0');
  header[0] = 'M';
  header[1] = 'Z';
  header[0x3c] = 0x40;
  return header + std::string("PE\0\0\x64\x86", 6) + body;
}

TEST(CheckProxyPackage, PackagedProxyPasses) {
  const auto proxy = windows_program("proxy");
  EXPECT_TRUE(
      check_proxy_package("out/bin/ptvsd-proxy.exe", proxy, "m", manifest_for("ptvsd-proxy.exe", proxy)).empty());
}

TEST(CheckProxyPackage, TamperedProxy) {
  const auto manifest = manifest_for("ptvsd-proxy.exe", windows_program("proxy"));
  const auto findings = check_proxy_package("out/bin/ptvsd-proxy.exe", windows_program("proxz"), "m", manifest);
  EXPECT_EQ(finding(findings, Code::check_proxy_mismatch, {"m", 1, 1}).exit_code(), 31);
  EXPECT_EQ(codes(findings), std::multiset<int>{121});
}

TEST(CheckProxyPackage, ProxyThatIsNotAWindowsX64Program) {
  const std::string linux_proxy = "\177ELF a Linux build";
  const auto findings = check_proxy_package("p", linux_proxy, "m", manifest_for("p", linux_proxy));
  EXPECT_EQ(finding(findings, Code::check_proxy_format, {"p", 0, 0}).exit_code(), 32);
  EXPECT_EQ(codes(findings), std::multiset<int>{122});
}

TEST(CheckProxyPackage, MissingManifestOrProxy) {
  EXPECT_EQ(finding(check_proxy_package("p", windows_program("proxy"), "m", std::nullopt), Code::check_proxy_mismatch,
                    {"m", 0, 0})
                .exit_code(),
            31);
  EXPECT_EQ(finding(check_proxy_package("p", std::nullopt, "m", std::nullopt), Code::check_proxy_missing, {"p", 0, 0})
                .exit_code(),
            30);
}

}  // namespace
}  // namespace ptvsd
