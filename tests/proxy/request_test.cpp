#include <algorithm>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "proxy/client_address.h"
#include "proxy/info_page.h"
#include "proxy/request_route.h"
#include "proxy/responses.h"

namespace ptvsd::proxy {
namespace {

namespace http = boost::beast::http;

Request upgrade(const char* target = "/ptvsd") {
  Request request(http::verb::get, target, 11);
  request.set(http::field::host, "site");
  request.set(http::field::connection, "Upgrade");
  request.set(http::field::upgrade, "websocket");
  request.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
  request.set(http::field::sec_websocket_version, "13");
  return request;
}

TEST(ProxyRoute, OnlyThePtvsdPathExists) {
  EXPECT_TRUE(is_endpoint_path("/ptvsd"));
  EXPECT_TRUE(is_endpoint_path("/ptvsd/"));
  EXPECT_TRUE(is_endpoint_path("/PTVSD"));
  EXPECT_TRUE(is_endpoint_path("/ptvsd?anything=ignored"));
  EXPECT_FALSE(is_endpoint_path("/"));
  EXPECT_FALSE(is_endpoint_path("/ptvsd/x"));
  EXPECT_FALSE(is_endpoint_path("/ptvsdx"));
  EXPECT_FALSE(is_endpoint_path("/x/ptvsd"));
  EXPECT_FALSE(is_endpoint_path("ptvsd"));
  EXPECT_FALSE(is_endpoint_path("http://site/ptvsd"));
}

// Beast 1.74's iequals read one byte past both strings once a letter differed only in case. The
// path sits in an allocation of exactly its size, so a sanitizer build reports any such read.
TEST(ProxyRoute, CaseInsensitiveMatchStaysInsideThePath) {
  for (const std::string text : {"/ptvSd", "/PTVSD", "/Ptvsd/", "/ptvsD?", "/ptvsX"}) {
    const auto exact = std::make_unique<char[]>(text.size());
    std::copy(text.begin(), text.end(), exact.get());
    EXPECT_EQ(is_endpoint_path({exact.get(), text.size()}), text != "/ptvsX") << text;
  }
  auto request = upgrade("/ptvsd");
  request.set(http::field::upgrade, "WebSockeT");
  EXPECT_EQ(route_request(request), Route::websocket);
}

TEST(ProxyRoute, PlainGetAndHeadGetTheInfoPage) {
  EXPECT_EQ(route_request(Request(http::verb::get, "/ptvsd", 11)), Route::info_page);
  EXPECT_EQ(route_request(Request(http::verb::head, "/ptvsd", 10)), Route::info_page);
  EXPECT_EQ(route_request(Request(http::verb::post, "/ptvsd", 11)), Route::method_not_allowed);
  EXPECT_EQ(route_request(Request(http::verb::get, "/other", 11)), Route::not_found);
}

TEST(ProxyRoute, AWellFormedUpgradeIsAWebSocket) {
  EXPECT_EQ(route_request(upgrade()), Route::websocket);
  auto listed = upgrade();
  listed.set(http::field::upgrade, "h2c, WebSocket");
  EXPECT_EQ(route_request(listed), Route::websocket);
  EXPECT_EQ(route_request(upgrade("/elsewhere")), Route::not_found);
}

TEST(ProxyRoute, MalformedUpgradesAreBadRequests) {
  auto no_key = upgrade();
  no_key.erase(http::field::sec_websocket_key);
  EXPECT_EQ(route_request(no_key), Route::bad_upgrade);

  auto short_key = upgrade();
  short_key.set(http::field::sec_websocket_key, "abc");
  EXPECT_EQ(route_request(short_key), Route::bad_upgrade);

  auto old_version = upgrade();
  old_version.set(http::field::sec_websocket_version, "8");
  EXPECT_EQ(route_request(old_version), Route::bad_upgrade);

  auto no_connection = upgrade();
  no_connection.erase(http::field::connection);
  EXPECT_EQ(route_request(no_connection), Route::bad_upgrade);

  auto post = upgrade();
  post.method(http::verb::post);
  EXPECT_EQ(route_request(post), Route::bad_upgrade);

  auto http10 = upgrade();
  http10.version(10);
  EXPECT_EQ(route_request(http10), Route::bad_upgrade);

  auto two_credentials = upgrade();
  two_credentials.insert(http::field::authorization, "Bearer a");
  two_credentials.insert(http::field::authorization, "Bearer b");
  EXPECT_EQ(route_request(two_credentials), Route::bad_upgrade);
}

TEST(ProxyResponses, RefusalsGiveNoHint) {
  const auto response = refusal_response(Refusal::unauthorized, 11);
  EXPECT_EQ(response.result(), http::status::unauthorized);
  EXPECT_EQ(response.body(), "401 Unauthorized\n");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_EQ(response[http::field::www_authenticate], "Basic realm=\"ptvsd\", charset=\"UTF-8\"");
}

TEST(ProxyResponses, RetryAfterIsWholeSecondsRoundedUp) {
  const auto response = refusal_response(Refusal::too_many_attempts, 11, std::chrono::milliseconds(1500));
  EXPECT_EQ(response.result(), http::status::too_many_requests);
  EXPECT_EQ(response[http::field::retry_after], "2");
  EXPECT_EQ(refusal_response(Refusal::busy, 11)[http::field::retry_after], "1");
}

TEST(ProxyResponses, HeadGetsHeadersOnly) {
  const auto get = info_page_response(Request(http::verb::get, "/ptvsd", 11), "1.2.3", "");
  const auto head = info_page_response(Request(http::verb::head, "/ptvsd", 11), "1.2.3", "");
  EXPECT_EQ(head.body(), "");
  EXPECT_EQ(head[http::field::content_length], std::to_string(get.body().size()));
  EXPECT_EQ(get[http::field::content_type], "text/html; charset=utf-8");
}

TEST(ProxyResponses, InfoPageHeadersStayHardened) {
  const auto page = info_page_response(Request(http::verb::get, "/ptvsd", 11), "1.2.3", "https://example.org/r");
  // The dark-mode styles sit in the same inline <style>: nothing loosens the policy for them.
  EXPECT_EQ(page["Content-Security-Policy"], "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  EXPECT_EQ(page["X-Frame-Options"], "DENY");
  EXPECT_EQ(page["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(page["Referrer-Policy"], "no-referrer");  // following the README link tells nobody the site
  EXPECT_EQ(page[http::field::cache_control], "no-store");
}

TEST(ProxyInfoPage, LinksTheReadmeSectionOnAttaching) {
  const auto html = info_page_html("0.1.0", "https://example.org/ptvsd-publish?a=1&b=2");
  EXPECT_NE(html.find("<a href=\"https://example.org/ptvsd-publish?a=1&amp;b=2#attaching-a-debugger\">the "
                      "section <em>Attaching a debugger</em> of the ptvsd-publish README</a>"),
            std::string::npos);
  // Without an address, the section is named with where the README comes: no link to nowhere.
  const auto unlinked = info_page_html("0.1.0", "");
  EXPECT_EQ(unlinked.find("<a "), std::string::npos);
  EXPECT_NE(unlinked.find("the section <em>Attaching a debugger</em> of the ptvsd-publish README "
                          "(<code>README.md</code> in the PtvsdPublish NuGet package and in the source)"),
            std::string::npos);
}

TEST(ProxyInfoPage, FollowsTheSystemsColourScheme) {
  const auto html = info_page_html("0.1.0", "");
  EXPECT_NE(html.find("<meta name=\"color-scheme\" content=\"light dark\">"), std::string::npos);
  EXPECT_NE(html.find("@media (prefers-color-scheme: dark) {"), std::string::npos);
}

TEST(ProxyInfoPage, ExplainsTheEndpointAndNeverHoldsASecret) {
  const auto html = info_page_html("0.1.0", "");
  EXPECT_NE(html.find("<title>ptvsd-proxy: remote debugging endpoint</title>"), std::string::npos);
  EXPECT_NE(html.find("wss://&lt;secret&gt;@&lt;site&gt;/ptvsd"), std::string::npos);
  EXPECT_NE(html.find("ptvsd-publish url --site NAME"), std::string::npos);
  // Where the tunnel finds the secret when the project has no web.debug.config of its own.
  EXPECT_NE(html.find("obj/ptvsd-publish/web.debug.config"), std::string::npos);
  EXPECT_NE(html.find("90 seconds"), std::string::npos);
  EXPECT_NE(html.find("Web sockets"), std::string::npos);
  // The page is a constant: nothing about the running proxy but its version goes in, so no
  // secret can. The version is escaped.
  EXPECT_EQ(info_page_html("0.1.0", ""), html);
  EXPECT_NE(info_page_html("<b>", "").find("ptvsd-proxy &lt;b&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(ProxyClientAddress, PeerUnlessForwardedForIsTrusted) {
  EXPECT_EQ(client_address("127.0.0.1", "203.0.113.9", false), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "203.0.113.9", true), "203.0.113.9");
  EXPECT_EQ(client_address("127.0.0.1", "", true), "127.0.0.1");
}

TEST(ProxyClientAddress, OnlyTheLastEntryCountsAndPortsAreDropped) {
  // Earlier entries come from the client and may be forged; IIS appends the last one.
  EXPECT_EQ(client_address("127.0.0.1", "1.1.1.1, 203.0.113.9:51234", true), "203.0.113.9");
  EXPECT_EQ(client_address("127.0.0.1", "1.1.1.1,[2001:db8::1]:443", true), "2001:db8::1");
  EXPECT_EQ(client_address("127.0.0.1", "2001:db8::1", true), "2001:db8::1");
  EXPECT_EQ(client_address("127.0.0.1", "1.1.1.1, <script>", true), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "1.1.1.1, ", true), "127.0.0.1");
}

TEST(ProxyClientAddress, EveryForwardedForLineIsReadAndTheLastEntryCounts) {
  auto request = upgrade();
  EXPECT_EQ(joined_field(request, "X-Forwarded-For"), "");
  request.insert("X-Forwarded-For", "1.1.1.1, 2.2.2.2");
  request.insert(http::field::host, "ignored");
  request.insert("x-forwarded-for", "203.0.113.9:51234");
  const auto joined = joined_field(request, "X-Forwarded-For");
  EXPECT_EQ(joined, "1.1.1.1, 2.2.2.2,203.0.113.9:51234");
  EXPECT_EQ(client_address("127.0.0.1", joined, true), "203.0.113.9");
}

TEST(ProxyClientAddress, HandshakesAreCountedPerIpv4AddressAndPerIpv6Slash64) {
  using boost::asio::ip::make_address;
  EXPECT_EQ(address_group(make_address("192.0.2.7")), "192.0.2.7");
  EXPECT_EQ(address_group(make_address("::ffff:192.0.2.7")), "192.0.2.7");
  EXPECT_EQ(address_group(make_address("2001:db8:1:2:3:4:5:6")), "2001:db8:1:2::/64");
  EXPECT_EQ(address_group(make_address("2001:db8:1:2:ffff::1")), address_group(make_address("2001:db8:1:2::9")));
  EXPECT_NE(address_group(make_address("2001:db8:1:3::1")), address_group(make_address("2001:db8:1:2::1")));
}

}  // namespace
}  // namespace ptvsd::proxy
