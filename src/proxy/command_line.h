// The ptvsd-proxy program: options in, a running proxy out. Errors are printed in MSBuild's
// format ("file(line,col): error PTVSDnnn: message", or "ptvsd-proxy: error ...") and turned into
// the exit code; main() is a call to this.
#pragma once

namespace ptvsd::proxy {

int run_tool(int argc, const char* const* argv);

}  // namespace ptvsd::proxy
