#include "proxy/auth.h"

#include "proxy/context.h"

#include <string>

#include <gtest/gtest.h>
#include <sodium.h>

namespace ptvsd::proxy {
namespace {

constexpr std::string_view secret_text = "mMkx_Jdi2NhlkL3qkcHOGtGkqKnntAd3kvW4BRuqFQQ";

std::string base64(std::string_view text) {
  std::string out(sodium_base64_ENCODED_LEN(text.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);
  return out;
}

std::optional<std::string> credential(std::string_view header) {
  auto found = credential_from_authorization(header);
  if (!found) return std::nullopt;
  return found->str();
}

TEST(ProxyAuthorization, BasicWithEmptyPasswordGivesTheUserName) {
  // What a client sends for wss://<secret>:@host/ptvsd (and for wss://<secret>@host).
  EXPECT_EQ(credential("Basic " + base64(std::string(secret_text) + ":")), std::string(secret_text));
}

TEST(ProxyAuthorization, BasicWithoutColonGivesTheWholeValue) {
  EXPECT_EQ(credential("Basic " + base64(secret_text)), std::string(secret_text));
}

TEST(ProxyAuthorization, BasicWithAPasswordKeepsIt) {
  // A password is not ignored: "secret:x" is not the secret, so it cannot match.
  EXPECT_EQ(credential("Basic " + base64("abc:x")), "abc:x");
}

TEST(ProxyAuthorization, BasicWithoutPaddingIsUnderstood) {
  auto padded = base64("abcd:");
  ASSERT_EQ(padded.back(), '=');
  while (!padded.empty() && padded.back() == '=') padded.pop_back();
  EXPECT_EQ(credential("Basic " + padded), "abcd");
}

TEST(ProxyAuthorization, BearerGivesTheToken) {
  EXPECT_EQ(credential(std::string("Bearer ") + std::string(secret_text)), std::string(secret_text));
}

TEST(ProxyAuthorization, SchemeIsCaseInsensitiveAndSpacesAreTrimmed) {
  EXPECT_EQ(credential("bAsIc   " + base64("s3cret:") + "  "), "s3cret");
  EXPECT_EQ(credential("  BEARER\ttoken"), "token");
}

TEST(ProxyAuthorization, MalformedBase64IsRejected) {
  EXPECT_EQ(credential("Basic not*base64!"), std::nullopt);
  EXPECT_EQ(credential("Basic " + base64("abc:") + "x"), std::nullopt);
  EXPECT_EQ(credential("Basic ===="), std::nullopt);
}

TEST(ProxyAuthorization, OtherSchemesAndEmptyValuesAreRejected) {
  EXPECT_EQ(credential(""), std::nullopt);
  EXPECT_EQ(credential("   "), std::nullopt);
  EXPECT_EQ(credential("Basic"), std::nullopt);
  EXPECT_EQ(credential("Basic "), std::nullopt);
  EXPECT_EQ(credential("Bearer"), std::nullopt);
  EXPECT_EQ(credential(std::string(secret_text)), std::nullopt);  // no scheme at all
  EXPECT_EQ(credential("Digest username=\"x\""), std::nullopt);
  EXPECT_EQ(credential("Negotiate abc"), std::nullopt);
  EXPECT_EQ(credential("Bearer two tokens"), std::nullopt);
}

TEST(ProxySecretCheck, AcceptsOnlyTheExactSecret) {
  const auto secret = Secret::from_text(secret_text);
  const SecretCheck check(secret);
  EXPECT_TRUE(check.matches(secret_text));
  EXPECT_FALSE(check.matches(""));
  EXPECT_FALSE(check.matches(secret_text.substr(0, 22)));                      // a prefix
  EXPECT_FALSE(check.matches(secret_text.substr(0, secret_text.size() - 1)));  // one short
  EXPECT_FALSE(check.matches(std::string(secret_text) + "A"));                 // one longer
  EXPECT_FALSE(check.matches(secret_text.substr(1)));                          // a suffix
  std::string flipped(secret_text);
  flipped[10] = flipped[10] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(check.matches(flipped));
  std::string zeros(secret_text.size(), '\0');
  EXPECT_FALSE(check.matches(zeros));
}

TEST(ProxySecretCheck, AuthorizesHeadersCarryingTheSecret) {
  const auto secret = Secret::from_text(secret_text);
  const SecretCheck check(secret);
  EXPECT_TRUE(check.authorizes("Basic " + base64(std::string(secret_text) + ":")));
  EXPECT_TRUE(check.authorizes("Basic " + base64(secret_text)));
  EXPECT_TRUE(check.authorizes(std::string("Bearer ") + std::string(secret_text)));
  EXPECT_FALSE(check.authorizes(""));
  EXPECT_FALSE(check.authorizes("Basic " + base64(std::string(secret_text) + ":password")));
  EXPECT_FALSE(check.authorizes("Basic " + base64(":" + std::string(secret_text))));
  EXPECT_FALSE(check.authorizes("Basic " + base64(std::string(secret_text.substr(0, 30)) + ":")));
  EXPECT_FALSE(check.authorizes(std::string("Token ") + std::string(secret_text)));
}

TEST(ProxySecretCheck, TwoChecksOfOneSecretAgree) {
  // The per-process key differs between instances; the answers must not.
  const auto secret = Secret::from_text(secret_text);
  const SecretCheck a(secret);
  const SecretCheck b(secret);
  EXPECT_EQ(a.matches(secret_text), b.matches(secret_text));
  EXPECT_EQ(a.matches("nope"), b.matches("nope"));
}

TEST(ProxySecretCheck, ConstantTimeEqualTellsDigestsApart) {
  Digest a{};
  a.fill(7);
  Digest b = a;
  EXPECT_TRUE(constant_time_equal(a, b));
  b.front() ^= 1;
  EXPECT_FALSE(constant_time_equal(a, b));
  b = a;
  b.back() ^= 0x80;
  EXPECT_FALSE(constant_time_equal(a, b));
}

// The seam: the auth decision is the compare function's, whatever the header. Together with
// constant_time_check.py, which keeps every comparison but constant_time_equal's out of the proxy,
// this is what keeps the comparison constant-time: no test could time it reliably.
struct CompareCalls {
  int count = 0;
  Digest candidate{};
  Digest secret{};
  bool answer = false;
};
CompareCalls calls;

bool recording_compare(const Digest& candidate, const Digest& secret) {
  ++calls.count;
  calls.candidate = candidate;
  calls.secret = secret;
  return calls.answer;
}

TEST(ProxySecretCheck, TheCompareFunctionDecides) {
  const auto secret = Secret::from_text(secret_text);
  const SecretCheck check(secret, recording_compare);
  calls = CompareCalls{};
  EXPECT_FALSE(check.authorizes(std::string("Bearer ") + std::string(secret_text)))
      << "the exact secret was let in although the compare function said no";
  EXPECT_EQ(calls.count, 1);
  EXPECT_EQ(calls.candidate, calls.secret) << "the compare function was not given both digests of the secret";
  calls.answer = true;
  EXPECT_TRUE(check.authorizes("Basic " + base64("wrong:"))) << "the compare function's yes was overruled";
  EXPECT_EQ(calls.count, 2);
  EXPECT_NE(calls.candidate, calls.secret);
}

TEST(ProxySecretCheck, TheProxysAuthPathComparesInConstantTime) {
  const auto secret = Secret::from_text(secret_text);
  EXPECT_EQ(SecretCheck(secret).compare_function(), &constant_time_equal);
  // What every connection's upgrade request is checked with (Connection::on_websocket_request).
  const Context context(Settings{}, secret);
  EXPECT_EQ(context.secret_check.compare_function(), &constant_time_equal);
}

}  // namespace
}  // namespace ptvsd::proxy
