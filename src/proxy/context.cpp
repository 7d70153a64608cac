#include <iostream>

#include "proxy/context.h"

namespace ptvsd::proxy {

void log_line(std::string_view text) {
  // Flushed per line: the log is how an operator watches attempts as they happen.
  std::cerr << "ptvsd-proxy: " << text << std::endl;
}

}  // namespace ptvsd::proxy
