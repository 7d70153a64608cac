// The command table's text against the code it describes.

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "commands/commands.h"
#include "core/diagnostics.h"
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

// A row says what its command needs, and the command offers exactly that: the shared options
// follow from its secrets and its locks, and positional arguments fill one of its own options.
TEST(CommandTable, EveryCommandOffersTheSharedOptionsItsRowAsksFor) {
  for (const auto& row : commands()) {
    SCOPED_TRACE(std::string(row.name));
    std::multiset<std::string> names;
    std::size_t positionals = 0;
    for (const auto& option : option_summaries(row)) {
      if (option.name.empty())
        ++positionals;
      else
        names.insert(option.name);
    }
    EXPECT_EQ(positionals, row.positional != nullptr ? 1U : 0U);
    EXPECT_EQ(names.count("--secret-bytes"), row.secrets == Secrets::produced ? 1U : 0U);
    EXPECT_EQ(names.count("--reveal"), row.secrets != Secrets::none ? 1U : 0U);
    EXPECT_EQ(names.count("--export"), row.secrets != Secrets::none ? 1U : 0U);
    EXPECT_EQ(names.count("--lock-timeout"), row.takes_locks ? 1U : 0U);
    for (const auto* shared : {"--format", "--ci", "--color", "--quiet", "--verbose", "--help"}) {
      EXPECT_EQ(names.count(shared), 1U) << shared;
    }
  }
}

std::optional<std::string> no_variable(const char*) { return std::nullopt; }

bool parse(std::string_view name, const Arguments& arguments, po::variables_map& values, Context& context) {
  context.environment = no_variable;
  return parse_command_line(command(name), arguments, values, context);
}

TEST(CommandTable, TheSharedOptionsAreParsedIntoTheContextAndTheCommandsOwnIntoTheValues) {
  Context context;
  po::variables_map values;
  ASSERT_TRUE(parse("rotate", {"--secret-bytes", "20", "--lock-timeout", "1.5", "--format", "json", "a", "b"}, values,
                    context));
  EXPECT_EQ(context.secret_bytes, 20);
  EXPECT_EQ(context.lock_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(context.output.format, Format::json);
  EXPECT_EQ(values["file"].as<std::vector<std::string>>(), (std::vector<std::string>{"a", "b"}));
}

TEST(CommandTable, ACommandRefusesTheSharedOptionsItsRowDoesNotAskFor) {
  for (const auto& [name, arguments] :
       std::vector<std::pair<std::string_view, Arguments>>{{"url", {"--site", "s", "--lock-timeout", "1"}},
                                                           {"url", {"--site", "s", "--secret-bytes", "16"}},
                                                           {"check", {"--reveal"}},
                                                           {"completion", {"bash", "--export", "X"}}}) {
    Context context;
    po::variables_map values;
    try {
      parse(name, arguments, values, context);
      ADD_FAILURE() << name << " took an option its row does not ask for";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), Code::usage) << error.what();
    }
  }
}

TEST(CommandTable, UrlRevealsItsSecretUnlessItIsHandedOn) {
  Context shown;
  po::variables_map values;
  ASSERT_TRUE(parse("url", {"--site", "s"}, values, shown));
  EXPECT_TRUE(shown.output.reveal);
  Context handed_on;
  po::variables_map more;
  ASSERT_TRUE(parse("url", {"--site", "s", "--secret-file", "new-file-that-does-not-exist"}, more, handed_on));
  EXPECT_FALSE(handed_on.output.reveal);
}

}  // namespace
}  // namespace ptvsd
