// bench_inputs: writes the inputs compare.sh times the tool on, deterministic so runs repeat.
//
//   bench_inputs config BYTES FILE         a web.config of at least BYTES (see web_config.h)
//   bench_inputs configs COUNT BYTES DIR   COUNT of them, site-0000.config ..., each different
//   bench_inputs binary BYTES FILE         BYTES of incompressible stand-in for the proxy binary
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "web_config.h"

namespace {

bool write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) std::cerr << "bench_inputs: cannot write " << path.string() << "\n";
  return static_cast<bool>(out);
}

// xorshift64*: fixed seed, so the "binary" is the same every run. It starts with a PE x64 header
// (MZ, e_lfanew 0x40, "PE\0\0", machine 0x8664), the one thing publish reads of a proxy's bytes.
std::string binary(std::size_t size) {
  std::string out(size, '\0');
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  for (std::size_t i = 0; i < size; ++i) {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    out[i] = static_cast<char>((state * 0x2545F4914F6CDD1DULL) >> 56);
  }
  const std::string header("MZ", 2);
  const std::string pe_at("\x40\0\0\0", 4);
  const std::string pe("PE\0\0\x64\x86", 6);
  if (size >= 0x46) out.replace(0, 2, header).replace(0x3c, 4, pe_at).replace(0x40, 6, pe);
  return out;
}

std::size_t number(const char* text) { return static_cast<std::size_t>(std::strtoull(text, nullptr, 10)); }

int usage() {
  std::cerr << "usage: bench_inputs config BYTES FILE | configs COUNT BYTES DIR | binary BYTES FILE\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string what = argv[1];
  if (what == "config" && argc == 4) {
    return write_file(argv[3], ptvsd::bench::make_web_config(number(argv[2]))) ? 0 : 1;
  }
  if (what == "binary" && argc == 4) return write_file(argv[3], binary(number(argv[2]))) ? 0 : 1;
  if (what == "configs" && argc == 5) {
    const auto count = number(argv[2]);
    const std::filesystem::path dir = argv[4];
    std::filesystem::create_directories(dir);
    for (std::size_t i = 0; i < count; ++i) {
      char name[64];
      std::snprintf(name, sizeof name, "site-%04zu.config", i);
      if (!write_file(dir / name, ptvsd::bench::make_web_config(number(argv[3]), static_cast<unsigned>(i)))) {
        return 1;
      }
    }
    return 0;
  }
  return usage();
}
