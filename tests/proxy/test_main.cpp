#include <gtest/gtest.h>

#include "core/xml_memory.h"

int main(int argc, char** argv) {
  ptvsd::wipe_xml_memory_on_free();  // as ptvsd-proxy does
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
