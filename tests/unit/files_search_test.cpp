#include "core/files_search.h"

#include <string>

#include <gtest/gtest.h>

namespace ptvsd::files {
namespace {

TEST(MatchesWildcard, StarAndQuestionMark) {
  EXPECT_TRUE(matches_wildcard("web.*.config", "web.Debug.config"));
  EXPECT_TRUE(matches_wildcard("*", ""));
  EXPECT_TRUE(matches_wildcard("s?", "s1"));
  EXPECT_FALSE(matches_wildcard("s?", "s10"));
  EXPECT_TRUE(matches_wildcard("*.config", ".config"));
  EXPECT_FALSE(matches_wildcard("web.*.config", "web.config"));
  EXPECT_TRUE(matches_wildcard("a*b*c", "aXbYbZc"));
  EXPECT_FALSE(matches_wildcard("a*b*c", "aXbYbZ"));
  EXPECT_TRUE(matches_wildcard("", ""));
  EXPECT_FALSE(matches_wildcard("", "x"));
}

TEST(MatchesWildcard, ManyStarsStayFast) {
  // An exponential matcher would not finish this in the lifetime of the test.
  const std::string name(5000, 'a');
  EXPECT_FALSE(matches_wildcard("*a*a*a*a*a*a*a*a*a*a*a*a*b", name));
}

}  // namespace
}  // namespace ptvsd::files
