// What kind of program a file holds, read from its header alone: IIS starts the packaged proxy
// with CreateProcess, which runs only a Windows (PE) program built for the server's machine, so a
// Linux build packaged by a Linux publish fails on the site (HttpPlatformHandler's 502.5) however
// it is named. Pure: bytes in, verdict out.
#pragma once

#include <string>
#include <string_view>

namespace ptvsd {

enum class ExecutableFormat {
  pe_x64,    // "MZ", e_lfanew, "PE\0\0", machine 0x8664: what a win-x64 site runs
  pe_other,  // a Windows program for another machine (x86, ARM64, ...)
  elf,       // a Linux (or other Unix) program
  unknown,   // anything else, including a file too short to tell
};

// Reads no more than the headers; any input is safe (a truncated header is `unknown`).
ExecutableFormat executable_format(std::string_view bytes);

// For messages: "a Windows x64 program", "a Linux program (ELF)", "not a program (...)", ...
std::string describe(ExecutableFormat format);

}  // namespace ptvsd
