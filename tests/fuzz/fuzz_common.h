// What every target shares: the tool's allocator set-up, and a check that aborts with a message so
// libFuzzer records the input that broke an invariant.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "core/xml_memory.h"

namespace ptvsd::fuzz {

inline void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

}  // namespace ptvsd::fuzz

// Runs once, before the first input: pugixml's memory hooks, exactly as main() sets them.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ptvsd::wipe_xml_memory_on_free();
  return 0;
}
