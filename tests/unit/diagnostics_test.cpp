#include "core/diagnostics.h"

#include <gtest/gtest.h>

namespace ptvsd {
namespace {

TEST(Diagnostics, CanonicalMsBuildFormWithLineAndColumn) {
  const Error error(Code::duplicate_secret, {"site/web.config", 12, 5}, "WSGI_PTVSD_SECRET appears twice");
  EXPECT_EQ(format_error(error), "site/web.config(12,5): error PTVSD012: WSGI_PTVSD_SECRET appears twice");
}

TEST(Diagnostics, FileWithoutPositionAndToolLevelMessages) {
  EXPECT_EQ(format_diagnostic(Severity::warning, Code::missing_secret, {"a.config", 0, 0}, "m"),
            "a.config: warning PTVSD013: m");
  EXPECT_EQ(format_diagnostic(Severity::error, Code::usage, {}, "m"), "ptvsd-publish: error PTVSD001: m");
  EXPECT_EQ(format_diagnostic(Severity::error, Code::malformed_xml, {"a", 3, 0}, "m"), "a(3): error PTVSD010: m");
}

TEST(Diagnostics, ExitCodesGroupCauses) {
  EXPECT_EQ(Error(Code::usage, {}, "").exit_code(), ExitCode::usage);
  EXPECT_EQ(Error(Code::malformed_xml, {}, "").exit_code(), ExitCode::bad_input);
  EXPECT_EQ(Error(Code::template_missing, {}, "").exit_code(), ExitCode::bad_input);
  EXPECT_EQ(Error(Code::write_failed, {}, "").exit_code(), ExitCode::io);
  EXPECT_EQ(Error(Code::lock_timeout, {}, "").exit_code(), ExitCode::locked);
  EXPECT_EQ(Error(Code::internal, {}, "").exit_code(), ExitCode::internal);
}

TEST(Diagnostics, CodeNamesHaveThreeDigits) {
  EXPECT_EQ(code_name(Code::usage), "PTVSD001");
  EXPECT_EQ(code_name(Code::duplicate_secret), "PTVSD012");
  EXPECT_EQ(code_name(Code::check_request_timeout_short), "PTVSD152");
}

TEST(Diagnostics, SecondsAreShownWithoutTrailingZeros) {
  EXPECT_EQ(seconds_text(std::chrono::milliseconds(500)), "0.5");
  EXPECT_EQ(seconds_text(std::chrono::milliseconds(1250)), "1.25");
  EXPECT_EQ(seconds_text(std::chrono::seconds(60)), "60");
  EXPECT_EQ(seconds_text(std::chrono::milliseconds(0)), "0");
}

}  // namespace
}  // namespace ptvsd
