// What both programs say about their options, in one voice: the --help table (placeholders, words
// never cut in two) and usage errors in our words instead of Boost's, with a "did you mean" for a
// mistyped name.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options/errors.hpp>
#include <boost/program_options/options_description.hpp>

namespace ptvsd {

// The candidate at most two edits away from `typed` (farther is not a typo), or nothing.
std::optional<std::string_view> closest(std::string_view typed, const std::vector<std::string_view>& candidates);

// One option a line: "  -q, --quiet  what it does", the value as a placeholder ("--format
// text|json (=text)"), descriptions wrapped at word boundaries within 100 columns.
void print_options(std::ostream& out, const boost::program_options::options_description& options);

// Boost's message for `error` said in our words, naming what was typed and what to type instead.
// `program` ("publish", "ptvsd-proxy") is named when it takes no positional arguments;
// `positional` is the name its positional arguments are stored under, if any.
std::string option_error_text(const boost::program_options::error& error,
                              const boost::program_options::options_description& all,
                              const std::vector<std::string>& arguments, std::string_view program,
                              const char* positional = nullptr);

}  // namespace ptvsd
