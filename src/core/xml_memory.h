// The memory pugixml builds documents in: every block is wiped when freed, so a secret placed in a
// document does not outlive it in freed heap memory, and the pages of a big document come in
// huge pages where the system has them (platform::prefer_huge_pages).
#pragma once

#include <cstddef>

namespace ptvsd {

// Makes pugixml use this memory. Call once, before any document exists (both programs' main()
// and every test runner do).
void wipe_xml_memory_on_free();

// What the documents alive now hold: their blocks, and the chunks those blocks are cut from (a
// chunk is given back when its last block is). For tests.
struct XmlMemoryInUse {
  std::size_t blocks = 0;
  std::size_t chunks = 0;
  std::size_t chunk_bytes = 0;
};
XmlMemoryInUse xml_memory_in_use();

}  // namespace ptvsd
