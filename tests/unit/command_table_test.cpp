// The command table's text against the code it describes.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

#include "commands/commands.h"
#include "core/site_check.h"

namespace ptvsd {
namespace {

const Command& command(std::string_view name) {
  for (const auto& row : commands()) {
    if (row.name == name) return row;
  }
  throw std::runtime_error("no command " + std::string(name));
}

// check --help lists its exit codes by hand ("10 no secret; 11 weak secret; ..."): they must be
// exactly the codes check_exit_code gives a finding, so a new finding cannot go unlisted.
TEST(CommandTable, CheckHelpListsEveryExitCodeOfAFindingAndNoOther) {
  std::set<int> given;
  for (int code = 0; code < 1000; ++code) {
    if (const int exit = check_exit_code(static_cast<Code>(code)); exit != 0) given.insert(exit);
  }
  // Each entry is a number after ": ", "; " or a line break, and then a word ("11 weak secret").
  // Scanned by hand: GCC 12 warns inside <regex> under -fsanitize, and warnings are errors.
  const std::string_view text = command("check").exit_codes;
  std::set<int> listed;
  for (std::size_t at = 0; at < text.size(); ++at) {
    const bool after_separator = at > 0 && (text[at - 1] == '\n' || (at > 1 && text[at - 1] == ' ' &&
                                                                     (text[at - 2] == ':' || text[at - 2] == ';')));
    if (!after_separator || text[at] < '0' || text[at] > '9') continue;
    std::size_t end = at;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (end + 1 < text.size() && text[end] == ' ' && text[end + 1] >= 'a' && text[end + 1] <= 'z') {
      if (const int exit = std::stoi(std::string(text.substr(at, end - at))); exit != 0) listed.insert(exit);
    }
    at = end;
  }
  EXPECT_EQ(listed, given);
  EXPECT_GE(given.size(), 13U);
}

}  // namespace
}  // namespace ptvsd
