#include "core/files.h"

#include <fstream>

#include <gtest/gtest.h>

#include "core/diagnostics.h"

namespace ptvsd::files {
namespace {

// A fresh folder per test, kept when the test fails so its files can be looked at.
class TempFolder : public testing::Test {
 protected:
  void SetUp() override {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            (std::string("ptvsd-unit-") + info->test_suite_name() + "-" + info->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(path_);
  }
  fs::path file(const std::string& name, const std::string& contents) {
    std::ofstream(path_ / name, std::ios::binary) << contents;
    return path_ / name;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(path_)) found.push_back(entry.path().filename().string());
    std::sort(found.begin(), found.end());
    return found;
  }
  fs::perms mode(const fs::path& p) const { return fs::status(p).permissions() & fs::perms::mask; }

  fs::path path_;
};

using AtomicFileTest = TempFolder;

TEST_F(AtomicFileTest, NotCommittedLeavesTheOldFileAndNoTempFile) {
  const auto target = file("web.config", "old");
  {
    AtomicFile out(target);
    out.write("new");
  }
  EXPECT_EQ(read(target), "old");
  EXPECT_EQ(names(), std::vector<std::string>{"web.config"});
}

TEST_F(AtomicFileTest, CommitReplacesAndLeavesNoTempFile) {
  const auto target = file("web.config", "old");
  AtomicFile out(target);
  out.write("new ");
  out.write("text");
  out.commit();
  EXPECT_EQ(read(target), "new text");
  EXPECT_EQ(names(), std::vector<std::string>{"web.config"});
}

TEST_F(AtomicFileTest, NewFileIsOwnerOnlyExistingFileKeepsItsMode) {
  const auto fresh = path_ / "new.config";
  AtomicFile(fresh).commit();
  EXPECT_EQ(mode(fresh), fs::perms::owner_read | fs::perms::owner_write);

  const auto existing = file("old.config", "x");
  const auto shared = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read;
  fs::permissions(existing, shared);
  AtomicFile(existing).commit();
  EXPECT_EQ(mode(existing), shared);
}

TEST_F(AtomicFileTest, SymlinkTargetIsReplacedAndTheLinkStays) {
  fs::create_directories(path_ / "real");
  const auto real = file("real/web.config", "old");
  fs::create_symlink(fs::path("real") / "web.config", path_ / "link.config");
  AtomicFile out(path_ / "link.config");
  out.write("new");
  out.commit();
  EXPECT_TRUE(fs::is_symlink(path_ / "link.config"));
  EXPECT_EQ(read(real), "new");
}

TEST_F(AtomicFileTest, SymlinkLoopIsAnError) {
  fs::create_symlink("b", path_ / "a");
  fs::create_symlink("a", path_ / "b");
  EXPECT_THROW(AtomicFile(path_ / "a"), Error);
}

TEST_F(AtomicFileTest, ReadOnlyFileIsRefusedUnchanged) {
  const auto target = file("web.config", "old");
  fs::permissions(target, fs::perms::owner_read);
  try {
    AtomicFile out(target);
    FAIL() << "read-only file accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Code::write_failed);
  }
  EXPECT_EQ(read(target), "old");
  EXPECT_EQ(names(), std::vector<std::string>{"web.config"});
}

TEST_F(AtomicFileTest, DirectoryIsNotAFile) {
  fs::create_directories(path_ / "web.config");
  try {
    AtomicFile out(path_ / "web.config");
    FAIL() << "directory accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Code::not_a_file);
  }
  EXPECT_THROW(read(path_ / "web.config"), Error);
}

using ReplaceAllTest = TempFolder;

TEST_F(ReplaceAllTest, AFailureWhileStagingChangesNothing) {
  const auto first = file("a.config", "a-old");
  fs::create_directories(path_ / "b.config");  // cannot be replaced
  EXPECT_THROW(replace_all({{first, "a-new", "a-old"}, {path_ / "b.config", "b-new", ""}}), Error);
  EXPECT_EQ(read(first), "a-old");
  EXPECT_EQ(names(), (std::vector<std::string>{"a.config", "b.config"}));
}

TEST_F(ReplaceAllTest, AllFilesReplaced) {
  const auto a = file("a.config", "a-old");
  const auto b = file("b.config", "b-old");
  replace_all({{a, "a-new", "a-old"}, {b, "b-new", "b-old"}});
  EXPECT_EQ(read(a), "a-new");
  EXPECT_EQ(read(b), "b-new");
}

using LockTest = TempFolder;

TEST_F(LockTest, ASecondHolderTimesOutUntilTheFirstIsGone) {
  const auto lock_file = path_ / ".ptvsd-publish.lock";
  {
    const ProjectLock first(lock_file, std::chrono::milliseconds(0));
    try {
      const ProjectLock second(lock_file, std::chrono::milliseconds(100));
      FAIL() << "two holders at once";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), Code::lock_timeout);
      EXPECT_EQ(error.exit_code(), ExitCode::locked);
    }
  }
  EXPECT_NO_THROW(ProjectLock(lock_file, std::chrono::milliseconds(0)));
}

using FindTest = TempFolder;

TEST_F(FindTest, FindsANameDifferingOnlyInCase) {
  file("Web.Debug.config", "x");
  const auto found = find_case_insensitive(path_, "web.debug.config");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->filename(), "Web.Debug.config");
  EXPECT_FALSE(find_case_insensitive(path_, "web.release.config").has_value());
}

}  // namespace
}  // namespace ptvsd::files
