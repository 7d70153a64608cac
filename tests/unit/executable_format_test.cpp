#include "core/executable_format.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

namespace ptvsd {
namespace {

// The smallest header executable_format accepts: a DOS header whose e_lfanew (at 0x3c) points at
// "PE\0\0" and the 2-byte machine field.
std::string pe_header(std::uint16_t machine, std::uint32_t pe_offset = 0x40) {
  std::string bytes(pe_offset + 6, '\0');
  bytes[0] = 'M';
  bytes[1] = 'Z';
  for (int i = 0; i < 4; ++i) bytes[0x3c + i] = static_cast<char>((pe_offset >> (8 * i)) & 0xff);
  bytes.replace(pe_offset, 4, std::string("PE\0\0", 4));
  bytes[pe_offset + 4] = static_cast<char>(machine & 0xff);
  bytes[pe_offset + 5] = static_cast<char>(machine >> 8);
  return bytes;
}

TEST(ExecutableFormat, PeForX64) {
  EXPECT_EQ(executable_format(pe_header(0x8664)), ExecutableFormat::pe_x64);
  EXPECT_EQ(executable_format(pe_header(0x8664, 0x80) + "rest of the program"), ExecutableFormat::pe_x64);
}

TEST(ExecutableFormat, PeForOtherMachines) {
  EXPECT_EQ(executable_format(pe_header(0x014c)), ExecutableFormat::pe_other);  // x86
  EXPECT_EQ(executable_format(pe_header(0xaa64)), ExecutableFormat::pe_other);  // ARM64
  EXPECT_EQ(executable_format(pe_header(0x6486)), ExecutableFormat::pe_other);  // byte order swapped
}

TEST(ExecutableFormat, Elf) {
  EXPECT_EQ(executable_format(std::string("\177ELF\x02\x01\x01", 7)), ExecutableFormat::elf);
  EXPECT_EQ(executable_format("\177ELF"), ExecutableFormat::elf);
}

TEST(ExecutableFormat, AnythingElseIsUnknown) {
  EXPECT_EQ(executable_format(""), ExecutableFormat::unknown);
  EXPECT_EQ(executable_format("MZ"), ExecutableFormat::unknown);
  EXPECT_EQ(executable_format("#!/bin/sh\n"), ExecutableFormat::unknown);
  EXPECT_EQ(executable_format("\177EL"), ExecutableFormat::unknown);
  auto no_signature = pe_header(0x8664);
  no_signature[0x41] = 'X';
  EXPECT_EQ(executable_format(no_signature), ExecutableFormat::unknown);
}

TEST(ExecutableFormat, TruncatedOrOutOfRangeHeadersAreUnknown) {
  const auto whole = pe_header(0x8664);
  for (std::size_t size = 0; size < whole.size(); ++size) {
    EXPECT_EQ(executable_format(whole.substr(0, size)), ExecutableFormat::unknown) << size;
  }
  // e_lfanew far past the end, and so large that adding to it would wrap around.
  EXPECT_EQ(executable_format(pe_header(0x8664).replace(0x3c, 4, "\xff\xff\xff\x7f")), ExecutableFormat::unknown);
  EXPECT_EQ(executable_format(pe_header(0x8664).replace(0x3c, 4, "\xff\xff\xff\xff")), ExecutableFormat::unknown);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The programs this build made: a Windows x64 program in a win-x64 build, ELF elsewhere.
TEST(ExecutableFormat, TheBuiltPrograms) {
#if defined(_WIN32) && (defined(__x86_64__) || defined(_M_X64))
  const auto expected = ExecutableFormat::pe_x64;
#else
  const auto expected = ExecutableFormat::elf;
#endif
  EXPECT_EQ(executable_format(read_file(PTVSD_BUILT_PROXY)), expected);
  EXPECT_EQ(executable_format(read_file(PTVSD_BUILT_TOOL)), expected);
}

// The win-x64 proxy this build packages for sites (PTVSD_SITE_PROXY), when it has one.
#ifdef PTVSD_SITE_PROXY_FILE
TEST(ExecutableFormat, TheSiteProxy) {
  EXPECT_EQ(executable_format(read_file(PTVSD_SITE_PROXY_FILE)), ExecutableFormat::pe_x64);
}
#endif

}  // namespace
}  // namespace ptvsd
