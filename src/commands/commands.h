// The commands, one file each, and the little they share.
#pragma once

#include <chrono>

#include "commands/command_line.h"

namespace ptvsd {

int run_publish(const Command& self, const Arguments& arguments, Context& context);
int run_rotate(const Command& self, const Arguments& arguments, Context& context);
int run_url(const Command& self, const Arguments& arguments, Context& context);
int run_check(const Command& self, const Arguments& arguments, Context& context);

// --secret-bytes, shared by the commands that make secrets.
void add_secret_bytes_option(po::options_description& options, long long& bytes);

// --lock-timeout in seconds, checked: 0 to a day. Throws Error(usage) otherwise.
std::chrono::milliseconds lock_timeout_from(double seconds);

}  // namespace ptvsd
