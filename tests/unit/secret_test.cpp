#include "core/secret.h"

#include <array>
#include <cstdlib>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "core/diagnostics.h"

namespace ptvsd {
namespace {

bool is_base64url(std::string_view text) {
  return text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
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

// Every position of a 256-bit secret carries its share of the entropy: positions 0 to 41 take each
// of the 64 characters equally often, position 42 (the last 4 bits) each of the 16 whose low 2
// bits are zero. A constant position, or one drawing on fewer characters, fails at once. Before
// each secret, std::rand is reseeded the same way, so a position taken from it (a plausible slip
// that secrets differing and the whole alphabet appearing would not show) comes out constant.
//
// Bounds, by the Chernoff bounds P(X <= (1-d)m) <= exp(-d^2 m/2), P(X >= (1+d)m) <= exp(-d^2 m/(2+d))
// for a binomial count X of mean m. N = 8192 secrets:
//   positions 0-41: m = 8192/64 = 128, bounds [32, 256]: d = 0.75 below, exp(-0.5625*128/2) =
//     exp(-36) = 2.3e-16; d = 1 above, exp(-128/3) = 2.9e-19; over 42*64 = 2688 counts, 6.3e-13;
//   position 42: m = 8192/16 = 512, bounds [256, 1024]: exp(-64) and exp(-512/3), negligible.
// So a correct generator fails this test less than once in 10^12 runs. A constant position puts
// 8192 in one count and 0 in the others; a position of 5 bits leaves 32 characters at 0.
TEST(Secret, EveryPositionIsUniformlyDistributed) {
  constexpr int secrets = 8192;
  constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::array<std::array<int, 64>, 43> counts{};
  for (int i = 0; i < secrets; ++i) {
    std::srand(1);
    const auto secret = Secret::generate();
    ASSERT_EQ(secret.reveal().size(), counts.size());
    for (std::size_t position = 0; position < counts.size(); ++position) {
      ++counts[position][alphabet.find(secret.reveal()[position])];
    }
  }
  for (std::size_t position = 0; position < counts.size(); ++position) {
    const bool last = position == counts.size() - 1;
    const int low = last ? 256 : 32;
    const int high = last ? 1024 : 256;
    for (std::size_t symbol = 0; symbol < alphabet.size(); ++symbol) {
      const int count = counts[position][symbol];
      const bool possible = !last || symbol % 4 == 0;
      if (possible ? count < low || count > high : count != 0) {
        ADD_FAILURE() << "position " << position << ": '" << alphabet[symbol] << "' " << count << " times in "
                      << secrets << " secrets, expected "
                      << (possible ? std::to_string(low) + " to " + std::to_string(high) : std::string("0"));
        break;  // one line per position
      }
    }
  }
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
  EXPECT_EQ(secret.bits(), 128u);  // 22 characters encode 16 whole bytes
}

TEST(SecretWeakness, LengthAndDistinctCharactersBothCount) {
  EXPECT_EQ(secret_weakness("abcdefghijklmnopqrstuv", "S"), std::nullopt);  // 22 characters, 22 distinct
  EXPECT_EQ(secret_weakness(Secret::generate(16).reveal(), "S"), std::nullopt);
  EXPECT_EQ(*secret_weakness("abcdefghijklmnopqrstu", "S"),
            "S carries at most 126 bits, under the 128-bit floor (22 base64url characters)");
  // Long enough, but not random: length alone used to pass these.
  EXPECT_EQ(*secret_weakness(std::string(22, 'a'), "S"),
            "S uses only 1 distinct characters (at least 10 needed): it cannot have been drawn at random");
  EXPECT_NE(secret_weakness("abababababababababababababababab", "S"), std::nullopt);
  EXPECT_NE(secret_weakness("abcdefghiabcdefghiabcdefghi", "S"), std::nullopt);  // 9 distinct
  EXPECT_EQ(secret_weakness("abcdefghijabcdefghijab", "S"), std::nullopt);       // 10 distinct
  // The message never quotes the value.
  EXPECT_EQ(secret_weakness("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "S")->find("zz"), std::string::npos);
}

}  // namespace
}  // namespace ptvsd
