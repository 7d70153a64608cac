// The locale-free text rules of core/ascii.h, which HTTP headers, NO_PROXY entries, Windows file
// names and IIS booleans are all compared with.
#include "core/ascii.h"

#include <gtest/gtest.h>

namespace ptvsd {
namespace {

TEST(Ascii, LowercaseChangesOnlyAToZ) {
  EXPECT_EQ(ascii_lowercase("Web.Debug.CONFIG"), "web.debug.config");
  EXPECT_EQ(ascii_lowercase("[@`{09_-]"), "[@`{09_-]");  // the neighbours of A-Z and a-z
  // UTF-8 bytes stay as they are, whatever the locale would say of them one by one ("É", "ß").
  EXPECT_EQ(ascii_lowercase("\xC3\x89\xC3\x9F"), "\xC3\x89\xC3\x9F");
  EXPECT_EQ(ascii_lowercase(""), "");
}

TEST(Ascii, EqualIgnoringCaseComparesWholeStrings) {
  EXPECT_TRUE(equal_ignoring_ascii_case("FALSE", "false"));
  EXPECT_TRUE(equal_ignoring_ascii_case("wSs", "wss"));
  EXPECT_FALSE(equal_ignoring_ascii_case("ws", "wss"));
  EXPECT_FALSE(equal_ignoring_ascii_case("\xC3\x89", "\xC3\xA9"));  // "É" and "é": not ASCII
}

TEST(Ascii, ControlsAreC0AndDel) {
  for (const char c : {'\0', '\t', '\n', '\r', '\x1F', '\x7F'}) EXPECT_TRUE(is_ascii_control(c)) << static_cast<int>(c);
  for (const char c : {' ', '~', 'A', '\x80', '\xC3', '\xFF'}) EXPECT_FALSE(is_ascii_control(c)) << static_cast<int>(c);
}

TEST(Ascii, TrimTakesSpacesAndTabsAtTheEnds) {
  EXPECT_EQ(trim_spaces_and_tabs(" \t a b\t "), "a b");
  EXPECT_EQ(trim_spaces_and_tabs("\na\n"), "\na\n");
  EXPECT_EQ(trim_spaces_and_tabs(" \t "), "");
}

}  // namespace
}  // namespace ptvsd
