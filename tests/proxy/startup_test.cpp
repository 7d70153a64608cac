#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "core/diagnostics.h"
#include "net/host_port.h"
#include "proxy/secret_source.h"

namespace ptvsd::proxy {
namespace {

namespace fs = std::filesystem;
using net::parse_host_port;
using net::port_number;

constexpr std::string_view strong = "mMkx_Jdi2NhlkL3qkcHOGtGkqKnntAd3kvW4BRuqFQQ";

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("ptvsd-proxy-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    if (!::testing::Test::HasFailure()) fs::remove_all(path_);
  }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return path_ / name;
  }

 private:
  fs::path path_;
};

std::string web_config(std::string_view secret) {
  return "<?xml version=\"1.0\"?>\n<configuration>\n  <appSettings>\n    <add key=\"WSGI_PTVSD_SECRET\" value=\"" +
         std::string(secret) + "\"/>\n  </appSettings>\n</configuration>\n";
}

Code code_of(const SecretSources& sources) {
  try {
    (void)load_secret(sources);
  } catch (const Error& error) {
    return error.code();
  }
  return Code::internal;
}

TEST(ProxyHostPort, ParsesHostsAndPorts) {
  EXPECT_EQ(parse_host_port("127.0.0.1:5678", "debugger").host, "127.0.0.1");
  EXPECT_EQ(parse_host_port("127.0.0.1:5678", "debugger").port, 5678);
  EXPECT_EQ(parse_host_port("[::1]:80", "listen").host, "::1");
  EXPECT_EQ(parse_host_port("localhost:0", "listen", true).port, 0);
}

TEST(ProxyHostPort, PortNumberIsOneToFiveDigitsOnly) {
  EXPECT_EQ(port_number("5678"), 5678UL);
  EXPECT_EQ(port_number("0"), 0UL);
  EXPECT_EQ(port_number("99999"), 99999UL);  // a number, out of range: the caller says so
  for (const char* bad : {"", "123456", "+1", "-1", " 1", "1 ", "8x", "0x10"}) {
    EXPECT_FALSE(port_number(bad)) << bad;
  }
}

TEST(ProxyHostPort, RejectsMalformedValues) {
  for (const char* bad : {"127.0.0.1", "127.0.0.1:", ":80", "::1:80", "[::1]80", "h:65536", "h:-1", "h:8x", "h:0"}) {
    try {
      (void)parse_host_port(bad, "debugger");
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), Code::proxy_config) << bad;
      EXPECT_NE(std::string(error.what()).find("--debugger"), std::string::npos);
    }
  }
}

TEST(ProxySecretSource, ConfigComesFirst) {
  TempDir dir;
  SecretSources sources;
  sources.config = dir.write("web.config", web_config(strong));
  sources.environment = "another-secret-that-is-long-enough-000";
  const auto loaded = load_secret(sources);
  EXPECT_EQ(loaded.secret.reveal(), strong);
  EXPECT_EQ(loaded.origin.find(std::string(strong)), std::string::npos);
}

TEST(ProxySecretSource, EnvironmentComesNext) {
  SecretSources sources;
  sources.environment = std::string(strong);
  sources.site_config = "/nonexistent/web.config";
  EXPECT_EQ(load_secret(sources).secret.reveal(), strong);
}

TEST(ProxySecretSource, SiteConfigIsTheFallbackUnderIis) {
  TempDir dir;
  SecretSources sources;
  sources.site_config = dir.write("web.config", web_config(strong));
  EXPECT_EQ(load_secret(sources).secret.reveal(), strong);
}

TEST(ProxySecretSource, NoSecretIsRefused) {
  EXPECT_EQ(code_of({}), Code::proxy_no_secret);
  SecretSources sources;
  sources.site_config = "/nonexistent/web.config";
  EXPECT_EQ(code_of(sources), Code::proxy_no_secret);
}

TEST(ProxySecretSource, SecretsUnder128BitsAreRefused) {
  TempDir dir;
  SecretSources sources;
  sources.config = dir.write("web.config", web_config("abcdefghijklmnopqrstu"));  // 21 chars, 126 bits
  try {
    (void)load_secret(sources);
    FAIL() << "a 21-character secret was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Code::proxy_weak_secret);
    EXPECT_EQ(error.where().line, 4);  // located at the setting
    EXPECT_EQ(format_error(error).find("abcdefghijklmnopqrstu"), std::string::npos);
  }
  sources.config = dir.write("exact.config", web_config("abcdefghijklmnopqrstuv"));  // 22 chars, 128 bits
  EXPECT_EQ(load_secret(sources).secret.reveal(), "abcdefghijklmnopqrstuv");

  SecretSources environment;
  environment.environment = "short";
  EXPECT_EQ(code_of(environment), Code::proxy_weak_secret);
  environment.environment = "";
  EXPECT_EQ(code_of(environment), Code::proxy_weak_secret);
}

TEST(ProxySecretSource, SecretsOfFewDistinctCharactersAreRefused) {
  TempDir dir;
  SecretSources sources;
  sources.config = dir.write("web.config", web_config(std::string(22, 'a')));  // long enough, not random
  EXPECT_EQ(code_of(sources), Code::proxy_weak_secret);
  SecretSources environment;
  environment.environment = std::string(43, 'b');
  EXPECT_EQ(code_of(environment), Code::proxy_weak_secret);
}

TEST(ProxySecretSource, SecretsHoldingControlCharactersAreRefused) {
  TempDir dir;
  // In a config a control character comes as a character reference; in the environment as is.
  for (const char* reference : {"&#10;", "&#13;", "&#9;", "&#x7F;", "&#x1B;"}) {
    SecretSources sources;
    sources.config = dir.write("web.config", web_config(std::string(strong) + reference + "::warning::x"));
    try {
      (void)load_secret(sources);
      ADD_FAILURE() << reference << " accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), Code::proxy_secret_control) << reference;
      EXPECT_EQ(error.where().line, 4);
      EXPECT_EQ(format_error(error).find(std::string(strong)), std::string::npos);
      EXPECT_NE(format_error(error).find("error PTVSD066: WSGI_PTVSD_SECRET holds a control character"),
                std::string::npos)
          << format_error(error);
    }
  }
  for (const char control : {'\n', '\r', '\t', '\x01'}) {
    SecretSources environment;
    environment.environment = std::string(strong) + control;
    EXPECT_EQ(code_of(environment), Code::proxy_secret_control) << +control;
  }
}

TEST(ProxySecretSource, TheConfigIsReadWithTheToolsXmlRules) {
  // README promises PTVSD010 and PTVSD011 for these, as the tool gives.
  TempDir dir;
  SecretSources sources;
  sources.config = dir.write("angle.config", web_config(std::string(strong) + "<x"));
  EXPECT_EQ(code_of(sources), Code::malformed_xml);
  sources.config = dir.write("latin1.config", web_config(std::string(strong) + "\xFF"));
  EXPECT_EQ(code_of(sources), Code::not_utf8);
}

TEST(ProxySecretSource, ConfigErrorsKeepTheCoreCodes) {
  TempDir dir;
  SecretSources sources;
  sources.config = dir.write("web.config", "<configuration><appSettings/></configuration>");
  EXPECT_EQ(code_of(sources), Code::missing_secret);
  sources.config = dir.write("broken.config", "<configuration>");
  EXPECT_EQ(code_of(sources), Code::malformed_xml);
  sources.config = "/nonexistent/web.config";
  EXPECT_EQ(code_of(sources), Code::read_failed);
}

}  // namespace
}  // namespace ptvsd::proxy
