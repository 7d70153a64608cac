#include "proxy/info_page.h"

namespace ptvsd::proxy {

namespace {

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

constexpr std::string_view head = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>)";

constexpr std::string_view style = R"(</title>
<style>
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328;
         background: #f6f8fa; margin: 0; }
  main { max-width: 46rem; margin: 2rem auto; padding: 1.5rem 2rem; background: #fff;
         border: 1px solid #d0d7de; border-radius: 8px; }
  h1 { font-size: 1.5rem; margin-top: 0; }
  h2 { font-size: 1.1rem; margin: 1.5rem 0 0.25rem; }
  code, pre { font: 0.9em/1.4 ui-monospace, SFMono-Regular, Consolas, monospace; background: #eff1f3;
              border-radius: 4px; }
  code { padding: 0.1em 0.3em; white-space: nowrap; }
  pre { padding: 0.6em 0.8em; overflow-x: auto; }
  .note { border-left: 4px solid #bf8700; padding-left: 0.8rem; }
  footer { color: #59636e; font-size: 0.85rem; margin-top: 2rem; }
</style>
</head>
<body>
<main>
<h1>)";

constexpr std::string_view body = R"(</h1>
<p>This address is where a debugger attaches to this Python web app. A debugger connects here with a
WebSocket, presents the app's secret (the <code>WSGI_PTVSD_SECRET</code> app setting) and is then joined
to the debug server (debugpy) running inside the app. Without the right secret the connection is refused.
Opening this page in a browser does nothing else.</p>

<h2>Attaching</h2>
<p>The debugger's address has the form</p>
<pre>wss://&lt;secret&gt;@&lt;site&gt;/ptvsd</pre>
<p>Every Debug publish draws a new secret and writes it to the project's <code>web.debug.config</code>.
In the project folder, after publishing, print the address with</p>
<pre>ptvsd-publish url --site NAME</pre>
<p>which gives <code>wss://&lt;secret&gt;@NAME.azurewebsites.net/ptvsd</code>; use <code>--host HOST</code>
instead of <code>--site</code> for a custom domain or your own IIS server. Give the address to your
debugger's attach dialog. Treat it like a password: anyone who has it can run code in the app.</p>

<h2>Web sockets must be on</h2>
<p>On Azure App Service, turn on <em>Web sockets</em> under Configuration &rarr; General settings, or run
<code>az webapp config set --web-sockets-enabled true --name NAME --resource-group GROUP</code>.
On your own IIS server, install the <em>WebSocket Protocol</em> feature (Web Server &rarr; Application
Development); the published <code>web.config</code> turns it on for the site. If this page loads but
attaching fails as soon as the debugger connects, web sockets are most likely off.</p>

<h2>Breakpoints and the 90-second limit</h2>
<p class="note">While the debugger holds the app at a breakpoint, the request being handled does not finish.
IIS ends a FastCGI request that runs longer than its <code>requestTimeout</code> (90 seconds by default)
and may recycle the Python process, which ends the debugging session. Resume within that time, or raise
<code>requestTimeout</code> and <code>activityTimeout</code> of the site's FastCGI application while you
debug. Azure's front end also ends any request that takes longer than about 230 seconds.</p>

<footer>ptvsd-proxy )";

constexpr std::string_view tail = R"(</footer>
</main>
</body>
</html>
)";

}  // namespace

std::string info_page_html(std::string_view version) {
  std::string html;
  html.reserve(head.size() + style.size() + body.size() + tail.size() + 2 * info_page_title.size() + 32);
  html += head;
  html += info_page_title;
  html += style;
  html += info_page_title;
  html += body;
  html += escape_html(version);
  html += tail;
  return html;
}

}  // namespace ptvsd::proxy
