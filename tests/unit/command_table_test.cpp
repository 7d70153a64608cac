// The command table's text against the code it describes.

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

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
  const std::string text(command("check").exit_codes);
  std::set<int> listed;
  const std::regex entry(R"((?:: |; |\n)(\d+) [a-z])");
  for (std::sregex_iterator it(text.begin(), text.end(), entry), end; it != end; ++it) {
    if (const int exit = std::stoi((*it)[1]); exit != 0) listed.insert(exit);
  }
  EXPECT_EQ(listed, given);
  EXPECT_GE(given.size(), 13U);
}

}  // namespace
}  // namespace ptvsd
