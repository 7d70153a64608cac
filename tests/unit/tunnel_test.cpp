// The tunnel's pure parts: the endpoint a --site or --url names, the HTTP proxy the environment
// picks, and the advice each refusal gets.
#include <map>

#include <gtest/gtest.h>

#include "core/diagnostics.h"
#include "tunnel/endpoint.h"
#include "tunnel/failure.h"
#include "tunnel/http_proxy.h"

namespace ptvsd::tunnel {
namespace {

TEST(TunnelEndpoint, SiteIsWssOnAzureWebsites) {
  const auto endpoint = endpoint_for_site("my-site");
  EXPECT_TRUE(endpoint.tls);
  EXPECT_EQ(endpoint.host, "my-site.azurewebsites.net");
  EXPECT_EQ(endpoint.port, 443);
  EXPECT_EQ(endpoint.url(), "wss://my-site.azurewebsites.net/ptvsd");
  EXPECT_THROW(endpoint_for_site("a.b"), Error);
  EXPECT_THROW(endpoint_for_site(""), Error);
}

TEST(TunnelEndpoint, UrlGivesSchemeHostPortAndTarget) {
  auto endpoint = endpoint_from_url("ws://127.0.0.1:8080/ptvsd");
  EXPECT_FALSE(endpoint.tls);
  EXPECT_EQ(endpoint.host, "127.0.0.1");
  EXPECT_EQ(endpoint.port, 8080);
  EXPECT_EQ(endpoint.host_header(), "127.0.0.1:8080");
  endpoint = endpoint_from_url("WSS://[::1]/x/ptvsd?a=b");
  EXPECT_TRUE(endpoint.tls);
  EXPECT_EQ(endpoint.host, "::1");
  EXPECT_EQ(endpoint.port, 443);
  EXPECT_EQ(endpoint.target, "/x/ptvsd?a=b");
  EXPECT_EQ(endpoint.url(), "wss://[::1]/x/ptvsd?a=b");
  EXPECT_EQ(endpoint_from_url("wss://h.example").target, "/ptvsd");
}

TEST(TunnelEndpoint, UrlRefusesSecretsOtherSchemesAndBadPorts) {
  for (const char* url : {"wss://secret@h.example/ptvsd", "wss://secret:@h.example/ptvsd", "https://h.example/ptvsd",
                          "h.example/ptvsd", "ws://h.example:0/", "ws://h.example:70000/", "ws://h.example:x/",
                          "ws:///ptvsd", "ws://[::1/ptvsd", "ws://h.example/a b"}) {
    SCOPED_TRACE(url);
    try {
      endpoint_from_url(url);
      ADD_FAILURE() << "accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), Code::usage);
      EXPECT_EQ(std::string(error.what()).find("secret@"), std::string::npos);
    }
  }
}

TEST(TunnelEndpoint, LoopbackHosts) {
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.1.2.3"));
  EXPECT_TRUE(is_loopback_host("LocalHost"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_TRUE(is_loopback_host("[::1]"));
  EXPECT_FALSE(is_loopback_host("127.example.com"));
  EXPECT_FALSE(is_loopback_host("10.0.0.1"));
}

EnvironmentLookup environment(std::map<std::string, std::string> values) {
  return [values](const char* name) -> std::optional<std::string> {
    const auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

TEST(TunnelHttpProxy, HttpsProxyForWssAndHttpProxyForWs) {
  const auto env = environment({{"HTTPS_PROXY", "http://proxy.corp:3128/"}, {"http_proxy", "[::1]:8888"}});
  const auto secure = proxy_for(endpoint_for_site("s"), env);
  ASSERT_TRUE(secure);
  EXPECT_EQ(secure->name(), "proxy.corp:3128");
  const auto plain = proxy_for(endpoint_from_url("ws://h.example/ptvsd"), env);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->name(), "[::1]:8888");
  EXPECT_FALSE(proxy_for(endpoint_for_site("s"), environment({})));
  EXPECT_EQ(proxy_for(endpoint_for_site("s"), environment({{"https_proxy", "p"}}))->port, 8080);
}

TEST(TunnelHttpProxy, NoProxyMatchesHostsAndDomainSuffixes) {
  EXPECT_TRUE(bypasses_proxy("s.azurewebsites.net", "localhost, .azurewebsites.net"));
  EXPECT_TRUE(bypasses_proxy("s.azurewebsites.net", "azurewebsites.net"));
  EXPECT_TRUE(bypasses_proxy("S.Example.com", "s.example.com:443"));
  EXPECT_TRUE(bypasses_proxy("anything", "*"));
  EXPECT_TRUE(bypasses_proxy("::1", "[::1]"));
  EXPECT_FALSE(bypasses_proxy("notazurewebsites.net", "azurewebsites.net"));
  EXPECT_FALSE(bypasses_proxy("s.example.com", ""));
  const auto env = environment({{"HTTPS_PROXY", "proxy:1"}, {"NO_PROXY", "example.com"}});
  EXPECT_FALSE(proxy_for(endpoint_from_url("wss://a.example.com/ptvsd"), env));
  EXPECT_TRUE(proxy_for(endpoint_from_url("wss://a.example.org/ptvsd"), env));
}

TEST(TunnelHttpProxy, RefusesWhatItCannotUse) {
  for (const char* value : {"https://proxy:443", "http://user:pass@proxy:3128", "socks5://p:1", "http://:3128",
                            "http://p:0", "http://p:x"}) {
    SCOPED_TRACE(value);
    EXPECT_THROW(proxy_for(endpoint_for_site("s"), environment({{"HTTPS_PROXY", value}})), Error);
  }
}

TEST(TunnelFailure, EachRefusalHasItsCodeAndFix) {
  const auto endpoint = endpoint_for_site("s");
  const std::map<unsigned, Code> codes = {{401, Code::tunnel_secret},      {429, Code::tunnel_busy},
                                          {404, Code::tunnel_no_endpoint}, {400, Code::tunnel_no_endpoint},
                                          {502, Code::tunnel_no_debugger}, {503, Code::tunnel_no_debugger},
                                          {500, Code::tunnel_no_debugger}};
  for (const auto& [status, code] : codes) {
    SCOPED_TRACE(status);
    const auto error = refused_upgrade(endpoint, status, "");
    EXPECT_EQ(error.code(), code);
    EXPECT_NE(std::string(error.what()).find("answered " + std::to_string(status)), std::string::npos);
  }
  EXPECT_NE(std::string(refused_upgrade(endpoint, 502, "").what()).find("debugpy"), std::string::npos);
  EXPECT_NE(std::string(refused_upgrade(endpoint, 404, "").what()).find("Web sockets"), std::string::npos);
  EXPECT_NE(std::string(untrusted_certificate(endpoint, false, "self-signed").what()).find("--ca-file"),
            std::string::npos);
}

TEST(TunnelFailure, OnlyTheSecretAndTheCertificateEndTheTunnel) {
  const auto endpoint = endpoint_for_site("s");
  EXPECT_TRUE(ends_the_tunnel(refused_upgrade(endpoint, 401, "")));
  EXPECT_TRUE(ends_the_tunnel(untrusted_certificate(endpoint, true, "mismatch")));
  EXPECT_FALSE(ends_the_tunnel(refused_upgrade(endpoint, 502, "")));
  EXPECT_FALSE(ends_the_tunnel(refused_upgrade(endpoint, 429, "")));
  EXPECT_EQ(refused_upgrade(endpoint, 401, "").exit_code(), ExitCode::refused);
}

TEST(TunnelFailure, WhatTheSiteSaidIsShortAndPrintable) {
  EXPECT_EQ(printable_excerpt("a\x1b[31mb\r\nc"), "a[31mb c");
  EXPECT_EQ(printable_excerpt(std::string(300, 'x')).size(), 203U);
}

}  // namespace
}  // namespace ptvsd::tunnel
