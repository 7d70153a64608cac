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
<meta name="color-scheme" content="light dark">
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
  a { color: #0969da; }
  @media (prefers-color-scheme: dark) {
    body { color: #e6edf3; background: #0d1117; }
    main { background: #151b23; border-color: #3d444d; }
    code, pre { background: #262c36; }
    .note { border-left-color: #d29922; }
    footer { color: #9198a1; }
    a { color: #4493f8; }
  }
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

<p>How to attach, step by step: )";

// After the pointer to the README: the rest of the page.
constexpr std::string_view body_after_link = R"(.</p>

<h2>Attaching: run the tunnel, then attach to 127.0.0.1:5678</h2>
<p>VS Code and Visual Studio attach to debugpy over plain TCP, not WebSocket, so a small tunnel on your
machine carries the connection here. In the project folder, after a Debug publish:</p>
<pre>ptvsd-publish attach --site NAME</pre>
<p>It reads the secret from the project's <code>web.debug.config</code>, or, when the project has none,
from <code>obj/ptvsd-publish/web.debug.config</code>, where the Debug publish generated it (every Debug
publish draws a new secret). It listens on <code>127.0.0.1:5678</code> and connects each debugger to
<code>wss://NAME.azurewebsites.net/ptvsd</code> with the secret in a header. Then attach:</p>
<ul>
<li><strong>VS Code</strong>, in <code>.vscode/launch.json</code>:
<pre>{
  "name": "Attach to the site",
  "type": "debugpy",
  "request": "attach",
  "connect": { "host": "127.0.0.1", "port": 5678 },
  "pathMappings": [ { "localRoot": "${workspaceFolder}",
                      "remoteRoot": "D:\\home\\site\\wwwroot" } ]
}</pre></li>
<li><strong>Visual Studio</strong>: Debug &rarr; Attach to Process, connection type
<em>Python remote (debugpy)</em>, target <code>tcp://127.0.0.1:5678</code>.</li>
</ul>
<p><strong>Path mappings:</strong> the site runs its files from another folder than yours
(<code>D:\home\site\wwwroot</code> on Azure App Service for Windows, <code>/home/site/wwwroot</code> on
Linux, the site's physical path on your own IIS). Without a mapping, breakpoints show as verified but
are never hit.</p>
<p>Tools that speak WebSocket themselves can use the address itself, <code>wss://&lt;secret&gt;@&lt;site&gt;/ptvsd</code>,
which <code>ptvsd-publish url --site NAME</code> prints. Treat it like a password: anyone who has it can
run code in the app.</p>

<h2>The app must start debugpy</h2>
<p>In the module the server imports, <code>import ptvsd_site</code> and <code>ptvsd_site.listen()</code>
(the module comes with ptvsd-publish). It starts debugpy on the loopback address in one process of the
site, and only when <code>WSGI_PTVSD_SECRET</code> is set. If attaching fails with <code>502</code>, the
app has not started it: look for <code>remote debugging</code> in the app's log.</p>

<h2>One debugger at a time</h2>
<p>debugpy serves one debugger at a time. While one is attached, another gets <code>503</code> with a
message saying so: detach the first, then attach again.</p>

<h2>Web sockets must be on</h2>
<p>On Azure App Service, turn on <em>Web sockets</em> under Configuration &rarr; General settings, or run
<code>az webapp config set --web-sockets-enabled true --name NAME --resource-group GROUP</code>.
On your own IIS server, install the <em>WebSocket Protocol</em> feature (Web Server &rarr; Application
Development); the published <code>web.config</code> turns it on for the site. If this page loads but
attaching fails as soon as the debugger connects, web sockets are most likely off.</p>

<h2>Breakpoints and timeouts</h2>
<p class="note">While the debugger holds the app at a breakpoint, the request being handled does not finish.
IIS ends a FastCGI request that runs longer than its <code>requestTimeout</code> (90 seconds by default)
and may recycle the Python process, which ends the debugging session. Resume within that time, or raise
<code>requestTimeout</code> and <code>activityTimeout</code> of the site's FastCGI application while you
debug. gunicorn kills a worker paused longer than its <code>--timeout</code> (30 seconds by default): run
it with <code>--timeout 1800</code>. Azure's front end also ends any request that takes longer than about
230 seconds. The debugger's own connection is kept alive with pings while it is paused; a silent one is
closed after 5 minutes (the proxy's default). <code>ptvsd-publish check</code> warns about these timeouts.</p>

<footer>ptvsd-proxy )";

constexpr std::string_view tail = R"(</footer>
</main>
</body>
</html>
)";

}  // namespace

std::string info_page_html(std::string_view version, std::string_view readme_url) {
  std::string html;
  html.reserve(head.size() + style.size() + body.size() + body_after_link.size() + tail.size() +
               2 * info_page_title.size() + readme_url.size() + 256);
  html += head;
  html += info_page_title;
  html += style;
  html += info_page_title;
  html += body;
  const std::string section = "the section <em>" + std::string(readme_section) + "</em> of the ptvsd-publish README";
  if (readme_url.empty()) {
    // No address to link to: say where the README is to be found instead.
    html += section + " (<code>README.md</code> in the PtvsdPublish NuGet package and in the source)";
  } else {
    html += "<a href=\"" + escape_html(std::string(readme_url) + std::string(readme_anchor)) + "\">" + section + "</a>";
  }
  html += body_after_link;
  html += escape_html(version);
  html += tail;
  return html;
}

}  // namespace ptvsd::proxy
