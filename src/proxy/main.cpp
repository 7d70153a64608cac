#include "core/xml_memory.h"
#include "proxy/command_line.h"

int main(int argc, char** argv) {
  ptvsd::wipe_xml_memory_on_free();  // the config read at startup holds the secret
  return ptvsd::proxy::run_tool(argc, argv);
}
