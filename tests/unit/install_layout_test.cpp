// Where the tool finds what is installed with it, relative to its own executable.
#include <gtest/gtest.h>

#include "core/files.h"
#include "core/package.h"

namespace ptvsd::files {
namespace {

TEST(InstallLayout, TheSiteProxyIsTheWinX64OneBesideTheTemplates) {
  const auto proxy = site_proxy_path();
  EXPECT_EQ(proxy.filename(), "ptvsd-proxy.exe");
  EXPECT_EQ(proxy.parent_path().filename(), "win-x64");
  EXPECT_EQ(proxy.parent_path().parent_path().parent_path(), templates_directory().parent_path());
}

// publish packages the manifest the build wrote beside the site proxy instead of hashing: it must
// be the digest of exactly the bytes installed.
#ifdef PTVSD_BUILT_SITE_PROXY
TEST(InstallLayout, TheSiteProxysShippedManifestIsTheDigestOfItsBytes) {
  const auto proxy = read(PTVSD_BUILT_SITE_PROXY);
  EXPECT_EQ(read(std::string(PTVSD_BUILT_SITE_PROXY) + std::string(manifest_suffix)),
            manifest_for(std::string(packaged_proxy_name), proxy));
}
#endif

// A message on Windows once read "...\share/ptvsd-publish/templates\native.config".
TEST(InstallLayout, PathsUseOnlyTheSystemsSeparator) {
  const char other = fs::path::preferred_separator == '/' ? '\\' : '/';
  for (const auto& path : {templates_directory(), site_proxy_path()}) {
    EXPECT_EQ(path.string().find(other), std::string::npos) << path.string();
  }
}

}  // namespace
}  // namespace ptvsd::files
