// The JSON document of README "Output for machines", and the CI lines, built as text.
#include "core/output.h"

#include <gtest/gtest.h>

#include <vector>

namespace ptvsd {
namespace {

const std::string secret = "kF3x9Qm2Lr7Tz0Wv5Yb8Nc1Hd4Jg6Ps-Ae_Uo3Ik9Rt";

Report sample() {
  Report report;
  report.command = "publish";
  report.written = {"site/web.debug.config", "out/bin/ptvsd-proxy"};
  report.template_name = "classic";
  report.secret_bits = 256;
  report.diagnostics.push_back({Severity::warning, Code::missing_secret, {"site/web.debug.config", 0, 0}, "w"});
  report.diagnostics.push_back({Severity::error, Code::malformed_xml, {"a.config", 4, 7}, "e"});
  report.add_secret("site/web.debug.config", secret);
  return report;
}

TEST(Json, EveryFieldInTheDocumentedOrderOnOneLine) {
  EXPECT_EQ(to_json(sample(), 3, false).str(),
            "{\"command\":\"publish\",\"ok\":false,\"exit_code\":3,"
            "\"written\":[\"site/web.debug.config\",\"out/bin/ptvsd-proxy\"],\"template\":\"classic\","
            "\"secret_bits\":256,"
            "\"warnings\":[{\"code\":\"PTVSD013\",\"file\":\"site/web.debug.config\",\"line\":0,\"column\":0,"
            "\"message\":\"w\"}],"
            "\"errors\":[{\"code\":\"PTVSD010\",\"file\":\"a.config\",\"line\":4,\"column\":7,\"message\":\"e\"}]}\n");
}

TEST(Json, EmptyReportIsOkWithNullTemplateAndEmptyLists) {
  Report report;
  report.command = "check";
  EXPECT_EQ(to_json(report, 0, false).str(),
            "{\"command\":\"check\",\"ok\":true,\"exit_code\":0,\"written\":[],\"template\":null,"
            "\"secret_bits\":0,\"warnings\":[],\"errors\":[]}\n");
}

TEST(Json, TheSecretIsInItOnlyWhenRevealed) {
  const auto hidden = to_json(sample(), 0, false).str();
  EXPECT_EQ(hidden.find(secret), std::string::npos);
  EXPECT_EQ(hidden.find("\"secrets\""), std::string::npos);
  const auto shown = to_json(sample(), 0, true).str();
  EXPECT_NE(shown.find(",\"secrets\":[{\"for\":\"site/web.debug.config\",\"value\":\"" + secret + "\"}]}\n"),
            std::string::npos)
      << shown;
}

TEST(Json, RevealWithoutSecretsIsAnEmptyList) {
  Report report;
  report.command = "check";
  EXPECT_NE(to_json(report, 0, true).str().find(",\"secrets\":[]}"), std::string::npos);
}

TEST(Json, StringsAreEscapedAndControlCharactersWrittenAsUnicodeEscapes) {
  Report report;
  report.command = "check";
  report.written = {std::string("q\"b\\s\nn\rr\tt\x01") + "a\x1f" + "z\x7f" + "\xc3\xa9"};
  const auto json = to_json(report, 0, false).str();
  EXPECT_NE(json.find("\"written\":[\"q\\\"b\\\\s\\nn\\rr\\tt\\u0001a\\u001fz\x7f\xc3\xa9\"]"), std::string::npos)
      << json;
  // One line: no raw line break inside the document, one at its end.
  EXPECT_EQ(json.find('\n'), json.size() - 1);
}

TEST(Json, DiagnosticMessagesAndPathsAreEscapedToo) {
  Report report;
  report.command = "check";
  report.diagnostics.push_back({Severity::error, Code::malformed_xml, {"c:\\site\\web.config", 1, 2}, "say \"hi\"\n"});
  EXPECT_NE(to_json(report, 3, false)
                .str()
                .find("\"file\":\"c:\\\\site\\\\web.config\",\"line\":1,\"column\":2,"
                      "\"message\":\"say \\\"hi\\\"\\n\""),
            std::string::npos);
}

TEST(CiLines, MaskLinesPerCi) {
  EXPECT_EQ(mask_line(Ci::github, secret), "::add-mask::" + secret);
  EXPECT_EQ(mask_line(Ci::azure, secret), "##vso[task.setsecret]" + secret);
  EXPECT_EQ(mask_line(Ci::gitlab, secret), std::nullopt);
  EXPECT_EQ(mask_line(Ci::none, secret), std::nullopt);
}

TEST(CiLines, ControlCharactersInTheSecretAreRefused) {
  for (const std::string& bad : std::vector<std::string>{"a\nb", "a\rb", std::string("a\0b", 3), "a\177b"}) {
    EXPECT_THROW(mask_line(Ci::github, bad), Error);
    EXPECT_THROW(github_output_line("s", bad), Error);
    EXPECT_THROW(azure_secret_variable_line("s", bad), Error);
  }
  EXPECT_EQ(github_output_line("s", secret).str(), "s=" + secret + "\n");
}

}  // namespace
}  // namespace ptvsd
