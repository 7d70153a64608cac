#include "proxy/process_guard.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <sodium.h>

#if defined(_WIN32)
#include <windows.h>
#else
#include <sys/resource.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif
#endif

namespace ptvsd::proxy {

std::string disable_core_dumps() {
  std::string failed;
#if defined(_WIN32)
  SetErrorMode(GetErrorMode() | SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
#else
  const rlimit none{0, 0};
  if (setrlimit(RLIMIT_CORE, &none) != 0) failed = std::string("setrlimit(RLIMIT_CORE): ") + std::strerror(errno);
#if defined(__linux__)
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    failed += (failed.empty() ? "" : "; ") + std::string("prctl(PR_SET_DUMPABLE): ") + std::strerror(errno);
  }
#endif
#endif
  return failed;
}

void forget_environment_variable(const char* name) {
#if defined(_WIN32)
  (void)_putenv_s(name, "");
  (void)SetEnvironmentVariableA(name, nullptr);
#else
  if (char* value = std::getenv(name); value != nullptr) sodium_memzero(value, std::strlen(value));
  (void)unsetenv(name);
#endif
}

}  // namespace ptvsd::proxy
