#include "commands/executor.h"
#include "core/xml_memory.h"

int main(int argc, char** argv) {
  ptvsd::wipe_xml_memory_on_free();
  return ptvsd::run_tool(argc, argv);
}
