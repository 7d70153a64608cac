#include "core/debug_config_location.h"

#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace ptvsd {
namespace {

namespace fs = std::filesystem;

class DebugConfigLocation : public testing::Test {
 protected:
  void SetUp() override {
    project_ = fs::temp_directory_path() /
               (std::string("ptvsd-unit-location-") + testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(project_);
    fs::create_directories(project_ / "obj" / "ptvsd-publish");
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(project_);
  }
  fs::path touch(const fs::path& relative) {
    std::ofstream(project_ / relative) << "<configuration/>";
    return project_ / relative;
  }
  fs::path project_;
};

TEST_F(DebugConfigLocation, NoneAnywhere) { EXPECT_FALSE(find_debug_config(project_)); }

TEST_F(DebugConfigLocation, TheGeneratedOneUnderObj) {
  const auto generated = touch("obj/ptvsd-publish/web.debug.config");
  EXPECT_EQ(find_debug_config(project_), generated);
}

TEST_F(DebugConfigLocation, TheProjectsOwnFileWinsInAnyCase) {
  touch("obj/ptvsd-publish/web.debug.config");
  const auto own = touch("Web.Debug.config");
  const auto found = find_debug_config(project_);
  ASSERT_TRUE(found);
  // Windows finds the name as asked for on its case-insensitive file system: the same file.
  EXPECT_TRUE(std::filesystem::equivalent(*found, own)) << found->string();
}

}  // namespace
}  // namespace ptvsd
