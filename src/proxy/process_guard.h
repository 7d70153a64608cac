// What the proxy asks of the operating system to keep its secret out of reach of other programs:
// no core dump, and no copy left in its environment. The proxy's only OS calls outside Asio and
// core/platform, kept here and guarded per system.
#pragma once

#include <string>

namespace ptvsd::proxy {

// Turns core dumps off for this process. Linux: PR_SET_DUMPABLE 0 (no core file, and other
// processes of the same user can no longer read its memory through /proc or ptrace) and
// RLIMIT_CORE 0; other POSIX systems: RLIMIT_CORE 0. Windows has no per-process switch: the
// error dialog is turned off (SetErrorMode), but a crash dump that Windows Error Reporting's
// LocalDumps policy asks for is still written (excluding the program would mean a lasting
// registry entry, which is the administrator's call); what such a dump can hold is the keyed hash,
// not the secret. Returns what failed, or "" (best effort: the proxy still runs, and logs it).
std::string disable_core_dumps();

// Overwrites the value of the environment variable `name` in place, then removes the variable,
// so the process's environment block no longer holds it (POSIX; Windows removes it from the
// CRT's and the process's environment, whose old copies the system may keep).
void forget_environment_variable(const char* name);

}  // namespace ptvsd::proxy
