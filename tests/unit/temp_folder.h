// A fresh folder per test, for the unit tests that need the real file system (files_test,
// files_search_test), kept when the test fails so its files can be looked at.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace ptvsd::test {

class TempFolder : public testing::Test {
 protected:
  void SetUp() override {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            (std::string("ptvsd-unit-") + info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(path_);
  }
  // Writes `contents` to the file `name` (a relative path whose folders exist), returning its path.
  std::filesystem::path file(const std::string& name, const std::string& contents) {
    std::ofstream(path_ / name, std::ios::binary) << contents;
    return path_ / name;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator(path_)) {
      found.push_back(entry.path().filename().string());
    }
    std::sort(found.begin(), found.end());
    return found;
  }
  std::filesystem::perms mode(const std::filesystem::path& p) const {
    return std::filesystem::status(p).permissions() & std::filesystem::perms::mask;
  }

  std::filesystem::path path_;
};

}  // namespace ptvsd::test
