// The OS calls that keep the secret out of core dumps and the environment, checked on this process
// (Linux: prctl and getrlimit say what the calls did).
#include "proxy/process_guard.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#if defined(__linux__)
#include <sys/prctl.h>
#include <sys/resource.h>
#endif

namespace ptvsd::proxy {
namespace {

#if defined(__linux__)
TEST(ProxyProcessGuard, CoreDumpsAreTurnedOff) {
  EXPECT_EQ(disable_core_dumps(), "");
  EXPECT_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_CORE, &limit), 0);
  EXPECT_EQ(limit.rlim_cur, 0u);
  EXPECT_EQ(limit.rlim_max, 0u);
}

TEST(ProxyProcessGuard, AForgottenVariableIsWipedWhereItWas) {
  ASSERT_EQ(setenv("PTVSD_PROXY_TEST_FORGET", "a value to forget", 1), 0);
  const char* where = std::getenv("PTVSD_PROXY_TEST_FORGET");
  ASSERT_NE(where, nullptr);
  const std::size_t length = std::strlen(where);
  forget_environment_variable("PTVSD_PROXY_TEST_FORGET");
  EXPECT_EQ(std::getenv("PTVSD_PROXY_TEST_FORGET"), nullptr);
  // setenv's copy stays allocated (glibc never frees it), so reading it back is defined here.
  EXPECT_EQ(std::string(where, length), std::string(length, '\0'));
}
#endif

}  // namespace
}  // namespace ptvsd::proxy
