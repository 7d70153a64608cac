// Where the tool finds what is installed with it, relative to its own executable.
#include <gtest/gtest.h>

#include "core/files.h"

namespace ptvsd::files {
namespace {

TEST(InstallLayout, TheSiteProxyIsTheWinX64OneBesideTheTemplates) {
  const auto proxy = site_proxy_path();
  EXPECT_EQ(proxy.filename(), "ptvsd-proxy.exe");
  EXPECT_EQ(proxy.parent_path().filename(), "win-x64");
  EXPECT_EQ(proxy.parent_path().parent_path().parent_path(), templates_directory().parent_path());
}

// A message on Windows once read "...\share/ptvsd-publish/templates\native.config".
TEST(InstallLayout, PathsUseOnlyTheSystemsSeparator) {
  const char other = fs::path::preferred_separator == '/' ? '\\' : '/';
  for (const auto& path : {templates_directory(), site_proxy_path()}) {
    EXPECT_EQ(path.string().find(other), std::string::npos) << path.string();
  }
}

}  // namespace
}  // namespace ptvsd::files
