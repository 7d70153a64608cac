#include "web_config.h"

namespace ptvsd::bench {

namespace {

constexpr const char* eol = "\r\n";

// A secret in the form the tool writes (base64url, 43 characters), fixed so inputs repeat.
constexpr const char* old_secret = "mMkx_Jdi2NhlkL3qkcHOGtGkqKnntAd3kvW4BRuqFQQ";

const char* const extensions[] = {".woff2", ".webmanifest", ".map", ".avif", ".wasm", ".mjs", ".json", ".svgz"};
const char* const mime_types[] = {"font/woff2",       "application/manifest+json", "application/json", "image/avif",
                                  "application/wasm", "text/javascript",           "application/json", "image/svg+xml"};

void line(std::string& out, int indent, const std::string& text) {
  out.append(static_cast<std::size_t>(indent) * 2, ' ').append(text).append(eol);
}

std::string n(std::size_t i) { return std::to_string(i); }

void app_settings(std::string& out, unsigned variant) {
  line(out, 1, "<appSettings>");
  line(out, 2, "<add key=\"WSGI_HANDLER\" value=\"site" + n(variant) + ".app.wsgi_app\"/>");
  line(out, 2, "<add key=\"PYTHONPATH\" value=\"D:\\home\\site\\wwwroot\"/>");
  line(out, 2, "<add key=\"WSGI_LOG\" value=\"D:\\home\\LogFiles\\wfastcgi.log\"/>");
  line(out, 2, "<!-- Remote debugging: rotated on every Debug publish. -->");
  line(out, 2, std::string("<add key=\"WSGI_PTVSD_SECRET\" value=\"") + old_secret + "\"/>");
  line(out, 2, "<add key='DJANGO_SETTINGS_MODULE' value='site" + n(variant) + ".settings.production'/>");
  for (std::size_t i = 0; i < 6; ++i) {
    line(out, 2, "<add key=\"FEATURE_" + n(i) + "\" value=\"" + (((i + variant) % 3) != 0 ? "true" : "false") + "\"/>");
  }
  line(out, 1, "</appSettings>");
}

void rewrite_rule(std::string& out, std::size_t i, unsigned variant) {
  line(out, 4, "<rule name=\"Legacy redirect " + n(i) + "\" stopProcessing=\"true\">");
  line(out, 5, "<match url=\"^old/section-" + n(i) + "/(.*)$\" ignoreCase=\"true\"/>");
  line(out, 5, "<conditions logicalGrouping=\"MatchAll\">");
  line(out, 6, "<add input=\"{HTTP_HOST}\" pattern=\"^www\\.example" + n(variant) + "\\.com$\"/>");
  line(out, 6, "<add input=\"{REQUEST_FILENAME}\" matchType=\"IsFile\" negate=\"true\"/>");
  line(out, 5, "</conditions>");
  line(out, 5,
       "<action type=\"Redirect\" url=\"https://www.example" + n(variant) + ".com/section-" + n(i) +
           "/{R:1}\" redirectType=\"Permanent\"/>");
  line(out, 4, "</rule>");
}

void location(std::string& out, std::size_t i) {
  line(out, 1, "<!-- Area " + n(i) + ": authenticated, uploads up to 8 MB, cached static files. -->");
  line(out, 1, "<location path=\"area" + n(i) + "\" inheritInChildApplications=\"false\">");
  line(out, 2, "<system.web>");
  line(out, 3, "<httpRuntime maxRequestLength=\"8192\" executionTimeout=\"" + n(60 + i % 240) + "\"/>");
  line(out, 3, "<authorization>");
  line(out, 4, "<allow roles=\"area" + n(i) + "-editors,admins\"/>");
  line(out, 4, "<deny users=\"?\"/>");
  line(out, 3, "</authorization>");
  line(out, 2, "</system.web>");
  line(out, 2, "<system.webServer>");
  line(out, 3, "<staticContent>");
  line(out, 4, "<clientCache cacheControlMode=\"UseMaxAge\" cacheControlMaxAge=\"7.00:00:00\"/>");
  line(out, 3, "</staticContent>");
  line(out, 3, "<httpProtocol>");
  line(out, 4, "<customHeaders>");
  line(out, 5, "<add name=\"X-Area\" value=\"area" + n(i) + "\"/>");
  line(out, 5, "<add name=\"Content-Security-Policy\" value=\"default-src 'self'; img-src 'self' data:\"/>");
  line(out, 4, "</customHeaders>");
  line(out, 3, "</httpProtocol>");
  line(out, 2, "</system.webServer>");
  line(out, 1, "</location>");
}

}  // namespace

std::string make_web_config(std::size_t min_bytes, unsigned variant) {
  std::string out;
  out.reserve(min_bytes + 4096);
  out.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>").append(eol);
  line(out, 0, "<!-- Azure App Service (Windows): a Flask site on wfastcgi, site " + n(variant) + ". -->");
  line(out, 0, "<configuration>");
  app_settings(out, variant);
  line(out, 1, "<system.web>");
  line(out, 2, "<compilation debug=\"true\" targetFramework=\"4.7.2\"/>");
  line(out, 2, "<httpRuntime targetFramework=\"4.7.2\" maxRequestLength=\"4096\"/>");
  line(out, 1, "</system.web>");
  line(out, 1, "<system.webServer>");
  line(out, 2, "<handlers>");
  line(out, 3, "<remove name=\"Python27_via_FastCGI\"/>");
  line(out, 3, "<add name=\"PythonHandler\" path=\"handler.fcgi\" verb=\"*\" modules=\"FastCgiModule\"");
  line(out, 8, "scriptProcessor=\"D:\\home\\python364x64\\python.exe|D:\\home\\python364x64\\wfastcgi.py\"");
  line(out, 8, "resourceType=\"Unspecified\" requireAccess=\"Script\"/>");
  line(out, 2, "</handlers>");
  line(out, 2, "<staticContent>");
  for (std::size_t i = 0; i < 8; ++i) {
    line(out, 3, std::string("<remove fileExtension=\"") + extensions[i] + "\"/>");
    line(out, 3, std::string("<mimeMap fileExtension=\"") + extensions[i] + "\" mimeType=\"" + mime_types[i] + "\"/>");
  }
  line(out, 2, "</staticContent>");
  line(out, 2, "<rewrite>");
  line(out, 3, "<rules>");
  std::size_t rules = 0;
  // Rules take roughly the first half of a big file, locations the rest.
  while (rules < 2 || out.size() < min_bytes / 2) rewrite_rule(out, rules++, variant);
  line(out, 4, "<rule name=\"Configure Python\" stopProcessing=\"true\">");
  line(out, 5, "<match url=\"(.*)\" ignoreCase=\"false\"/>");
  line(out, 5, "<conditions>");
  line(out, 6, "<add input=\"{REQUEST_URI}\" pattern=\"^/static/.*\" ignoreCase=\"true\" negate=\"true\"/>");
  line(out, 5, "</conditions>");
  line(out, 5, "<action type=\"Rewrite\" url=\"handler.fcgi/{R:1}\" appendQueryString=\"true\"/>");
  line(out, 4, "</rule>");
  line(out, 3, "</rules>");
  line(out, 2, "</rewrite>");
  line(out, 1, "</system.webServer>");
  const std::string end = std::string("</configuration>") + eol;
  std::size_t locations = 0;
  while (locations < 1 || out.size() + end.size() < min_bytes) location(out, locations++);
  out.append(end);
  return out;
}

}  // namespace ptvsd::bench
