#include "core/executable_format.h"

#include <cstdint>

namespace ptvsd {

namespace {

constexpr std::string_view elf_magic = "\177ELF";
constexpr std::string_view dos_magic = "MZ";
constexpr std::string_view pe_signature{"PE\0\0", 4};
constexpr std::size_t pe_offset_field = 0x3c;  // e_lfanew in the DOS header
constexpr std::uint16_t machine_amd64 = 0x8664;

// Little-endian, as both headers are on every machine they describe.
std::uint32_t read_le(std::string_view bytes, std::size_t at, std::size_t size) {
  std::uint32_t value = 0;
  for (std::size_t i = size; i-- > 0;) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

}  // namespace

ExecutableFormat executable_format(std::string_view bytes) {
  if (bytes.substr(0, elf_magic.size()) == elf_magic) return ExecutableFormat::elf;
  if (bytes.substr(0, dos_magic.size()) != dos_magic || bytes.size() < pe_offset_field + 4) {
    return ExecutableFormat::unknown;
  }
  const std::size_t pe = read_le(bytes, pe_offset_field, 4);
  // The signature and the 2-byte machine field that follows it must lie inside the file.
  if (pe > bytes.size() || bytes.size() - pe < pe_signature.size() + 2 ||
      bytes.substr(pe, pe_signature.size()) != pe_signature) {
    return ExecutableFormat::unknown;
  }
  return read_le(bytes, pe + pe_signature.size(), 2) == machine_amd64 ? ExecutableFormat::pe_x64
                                                                      : ExecutableFormat::pe_other;
}

std::string describe(ExecutableFormat format) {
  switch (format) {
    case ExecutableFormat::pe_x64: return "a Windows x64 program";
    case ExecutableFormat::pe_other: return "a Windows program for another processor than x64";
    case ExecutableFormat::elf: return "a Linux program (ELF)";
    case ExecutableFormat::unknown: break;
  }
  return "not a program (no PE or ELF header)";
}

}  // namespace ptvsd
