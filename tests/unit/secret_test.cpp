#include "core/secret.h"

#include <set>

#include <gtest/gtest.h>

#include "core/diagnostics.h"

namespace ptvsd {
namespace {

bool is_base64url(std::string_view text) {
  return text.find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
         std::string_view::npos;
}

TEST(Secret, DefaultIs256BitsIn43UrlSafeCharacters) {
  const auto secret = Secret::generate();
  EXPECT_EQ(secret.bits(), 256u);
  EXPECT_EQ(secret.reveal().size(), 43u);
  EXPECT_TRUE(is_base64url(secret.reveal())) << "no padding, no + or /";
}

TEST(Secret, LengthFollowsByteCountAtBothBounds) {
  EXPECT_EQ(Secret::generate(16).reveal().size(), 22u);
  EXPECT_EQ(Secret::generate(64).reveal().size(), 86u);
  EXPECT_EQ(encoded_length(32), 43u);
}

TEST(Secret, RefusesSizesOutside16To64Bytes) {
  for (const std::size_t bytes : {0u, 8u, 15u, 65u, 1000u}) {
    try {
      (void)Secret::generate(bytes);
      ADD_FAILURE() << bytes << " bytes accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), Code::secret_size);
      EXPECT_EQ(error.exit_code(), ExitCode::usage);
    }
  }
}

TEST(Secret, EveryGenerationDiffers) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(std::string(Secret::generate(16).reveal()));
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Secret, UsesTheWholeAlphabet) {
  // A broken encoder (hex, or a truncated alphabet) would never produce some of these characters.
  std::set<char> seen;
  for (int i = 0; i < 200; ++i) {
    const auto secret = Secret::generate();
    for (const char c : secret.reveal()) seen.insert(c);
  }
  EXPECT_EQ(seen.size(), 64u);
}

TEST(Secret, MoveLeavesTheSourceEmpty) {
  auto first = Secret::generate();
  const std::string value(first.reveal());
  Secret second = std::move(first);
  EXPECT_EQ(second.reveal(), value);
  EXPECT_TRUE(first.reveal().empty());  // NOLINT(bugprone-use-after-move): checking the contract
}

TEST(Secret, FromTextKeepsTheValueAndEstimatesBits) {
  const auto secret = Secret::from_text("abcdefghijklmnopqrstuv");
  EXPECT_EQ(secret.reveal(), "abcdefghijklmnopqrstuv");
  EXPECT_EQ(secret.bits(), 132u);
}

}  // namespace
}  // namespace ptvsd
