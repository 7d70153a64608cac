#include "core/files.h"

#include <fstream>

#include <sys/wait.h>
#include <unistd.h>

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

using SweepTest = TempFolder;

// The id of a process that has ended.
std::string ended_process_id() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  return std::to_string(child);
}

TEST_F(SweepTest, ACommitRemovesItsTargetsAbandonedTempFilesOnly) {
  const auto target = file("web.config", "old");
  const auto ended = ended_process_id();
  const auto running = std::to_string(getppid());
  file(".web.config.ptvsd-" + ended + "-0123456789ab.tmp", "left by a killed run");
  file(".web.config.ptvsd-" + running + "-0123456789ab.tmp", "a running writer's");
  file(".other.config.ptvsd-" + ended + "-0123456789ab.tmp", "another file's");
  file(".web.config.ptvsd-0123456789ab.tmp", "no writer named");
  file(".web.config.ptvsd-" + ended + "-notes.txt", "not a temp file");
  fs::create_directories(path_ / (".web.config.ptvsd-" + ended + "-aaaaaaaaaaaa.tmp"));
  fs::create_symlink("web.config", path_ / (".web.config.ptvsd-" + ended + "-bbbbbbbbbbbb.tmp"));
  AtomicFile out(target);
  out.write("new");
  out.commit();
  std::vector<std::string> kept = {".other.config.ptvsd-" + ended + "-0123456789ab.tmp",
                                   ".web.config.ptvsd-" + ended + "-aaaaaaaaaaaa.tmp",
                                   ".web.config.ptvsd-" + ended + "-bbbbbbbbbbbb.tmp",
                                   ".web.config.ptvsd-" + ended + "-notes.txt",
                                   ".web.config.ptvsd-" + running + "-0123456789ab.tmp",
                                   ".web.config.ptvsd-0123456789ab.tmp", "web.config"};
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(names(), kept);
}

TEST_F(SweepTest, ALiveWritersTempFileIsNotAbandoned) {
  const auto target = file("web.config", "old");
  AtomicFile slow(target);
  slow.write("slow");
  slow.finish_writing();  // closed, but its writer (this process) runs: not abandoned
  EXPECT_EQ(remove_abandoned_temp_files(target), 0);
  {
    AtomicFile fast(target);
    fast.write("fast");
    fast.commit();
  }
  slow.commit();
  EXPECT_EQ(read(target), "slow");
  EXPECT_EQ(names(), std::vector<std::string>{"web.config"});
}

TEST_F(SweepTest, TempFilesOfAFailedRunAreRemovedByItsDestructorNotLeftForASweep) {
  const auto target = file("web.config", "old");
  {
    AtomicFile out(target);
    out.write("new");
  }
  EXPECT_EQ(remove_abandoned_temp_files(target), 0);
  EXPECT_EQ(names(), std::vector<std::string>{"web.config"});
}

#ifdef PTVSD_FAULT_INJECTION
// Each step of a replacement made to fail: the old file stays, with its bytes and mode, and no temp
// file is left.
class FaultTest : public TempFolder {
 protected:
  void TearDown() override {
    platform::fail_at("");
    TempFolder::TearDown();
  }
};

TEST_F(FaultTest, EveryStepOfAReplacementFailsCleanly) {
  const auto target = file("web.config", "old");
  const auto kept_mode = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read;
  fs::permissions(target, kept_mode);
  for (const char* step : {"create", "mode", "write", "short-write", "flush", "close", "rename"}) {
    platform::fail_at(step);
    try {
      AtomicFile out(target);
      out.write("new contents");
      out.commit();
      ADD_FAILURE() << step << ": no error";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), Code::write_failed) << step;
    }
    EXPECT_EQ(read(target), "old") << step;
    EXPECT_EQ(mode(target), kept_mode) << step;
    EXPECT_EQ(names(), std::vector<std::string>{"web.config"}) << step;
  }
}

TEST_F(FaultTest, ReadAndLockFailuresAreErrors) {
  const auto target = file("web.config", "old");
  platform::fail_at("read");
  EXPECT_THROW((void)read(target), Error);
  EXPECT_EQ(read(target), "old");
  platform::fail_at("lock");
  EXPECT_THROW(ProjectLock(path_ / ".lock", std::chrono::milliseconds(0)), Error);
}

TEST_F(FaultTest, ASecondRenameFailingPutsTheFirstFileBack) {
  const auto a = file("a.config", "a-old");
  const auto b = file("b.config", "b-old");
  const auto created = path_ / "c.config";
  platform::fail_at("rename:3");
  try {
    replace_all({{created, "c-new"}, {a, "a-new"}, {b, "b-new"}});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.where().file, b.string());
  }
  EXPECT_EQ(read(a), "a-old");
  EXPECT_EQ(read(b), "b-old");
  EXPECT_EQ(names(), (std::vector<std::string>{"a.config", "b.config"}));
}

TEST_F(FaultTest, AnUndoThatFailsTooIsNamedAndTheOthersAreStillPutBack) {
  const auto a = file("a.config", "a-old");
  const auto b = file("b.config", "b-old");
  const auto c = file("c.config", "c-old");
  platform::fail_at("rename:3,rename:4");  // c fails; putting a back fails; b is put back
  try {
    replace_all({{a, "a-new"}, {b, "b-new"}, {c, "c-new"}});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.where().file, c.string());
    EXPECT_NE(std::string(error.what()).find("could not put back " + a.string()), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(read(a), "a-new");
  EXPECT_EQ(read(b), "b-old");
  EXPECT_EQ(read(c), "c-old");
  EXPECT_EQ(names(), (std::vector<std::string>{"a.config", "b.config", "c.config"}));
}

TEST_F(FaultTest, WithoutHardLinksTheOldFilesAreKeptByCopyAndStillPutBack) {
  const auto a = file("a.config", "a-old");
  const auto b = file("b.config", "b-old");
  fs::permissions(a, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  platform::fail_at("link:1,link:2,rename:2");
  EXPECT_THROW(replace_all({{a, "a-new"}, {b, "b-new"}}), Error);
  EXPECT_EQ(read(a), "a-old");
  EXPECT_EQ(mode(a), fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  EXPECT_EQ(read(b), "b-old");
  EXPECT_EQ(names(), (std::vector<std::string>{"a.config", "b.config"}));
}

TEST_F(FaultTest, AnOldFileThatCannotBeKeptStopsTheRunBeforeAnyRename) {
  const auto a = file("a.config", "a-old");
  const auto b = file("b.config", "b-old");
  platform::fail_at("link:2,copy:1");
  try {
    replace_all({{a, "a-new"}, {b, "b-new"}});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Code::write_failed);
    EXPECT_EQ(error.where().file, b.string());
  }
  EXPECT_EQ(read(a), "a-old");
  EXPECT_EQ(read(b), "b-old");
  EXPECT_EQ(names(), (std::vector<std::string>{"a.config", "b.config"}));
}

TEST_F(FaultTest, TheReadBackHappensBeforeAnyRename) {
  const auto a = file("a.config", "a-old");
  const auto b = file("b.config", "b-old");
  platform::fail_at("read:2");  // the read-back of b
  EXPECT_THROW(replace_all({{a, "a-new"}, {b, "b-new"}}), Error);
  EXPECT_EQ(read(a), "a-old");
  EXPECT_EQ(read(b), "b-old");
  EXPECT_EQ(names(), (std::vector<std::string>{"a.config", "b.config"}));
}
#endif

TEST(ReadTest, AFileIsReadWhole) {
  const auto path = fs::temp_directory_path() / "ptvsd-unit-read-whole";
  const std::string contents(100000, 'x');
  std::ofstream(path, std::ios::binary) << contents;
  EXPECT_EQ(read(path), contents);
  fs::remove(path);
}

using ReplaceAllTest = TempFolder;

TEST_F(ReplaceAllTest, AFailureWhileStagingChangesNothing) {
  const auto first = file("a.config", "a-old");
  fs::create_directories(path_ / "b.config");  // cannot be replaced
  EXPECT_THROW(replace_all({{first, "a-new"}, {path_ / "b.config", "b-new"}}), Error);
  EXPECT_EQ(read(first), "a-old");
  EXPECT_EQ(names(), (std::vector<std::string>{"a.config", "b.config"}));
}

TEST_F(ReplaceAllTest, AllFilesReplaced) {
  const auto a = file("a.config", "a-old");
  const auto b = file("b.config", "b-old");
  replace_all({{a, "a-new"}, {b, "b-new"}});
  EXPECT_EQ(read(a), "a-new");
  EXPECT_EQ(read(b), "b-new");
  EXPECT_EQ(names(), (std::vector<std::string>{"a.config", "b.config"}));  // no kept old file
}

TEST_F(ReplaceAllTest, EachFolderIsSweptOfItsTargetsAbandonedTempFiles) {
  fs::create_directories(path_ / "sub");
  const auto a = file("a.config", "a-old");
  const auto b = file("sub/b.config", "b-old");
  const auto ended = ended_process_id();
  file(".a.config.ptvsd-" + ended + "-0123456789ab.tmp", "left by a killed run");
  file("sub/.b.config.ptvsd-" + ended + "-0123456789ab.tmp", "left by a killed run");
  file("sub/.c.config.ptvsd-" + ended + "-0123456789ab.tmp", "not a target's");
  replace_all({{a, "a-new"}, {b, "b-new"}});
  EXPECT_EQ(names(), (std::vector<std::string>{"a.config", "sub"}));
  EXPECT_TRUE(fs::exists(path_ / "sub" / (".c.config.ptvsd-" + ended + "-0123456789ab.tmp")));
  EXPECT_FALSE(fs::exists(path_ / "sub" / (".b.config.ptvsd-" + ended + "-0123456789ab.tmp")));
}

TEST_F(ReplaceAllTest, AnyDifferenceInTheReadBackIsAnError) {
  const auto target = file("web.config", "old");
  AtomicFile out(target);
  out.write("new");
  out.finish_writing();
  EXPECT_NO_THROW(out.verify("new"));
  for (const char* other : {"", "ne", "new!", "neW"}) EXPECT_THROW(out.verify(other), Error) << other;
  const std::string large(200 * 1024, 'x');  // several chunks
  AtomicFile big(file("big.config", ""));
  big.write(large);
  big.finish_writing();
  EXPECT_NO_THROW(big.verify(large));
  auto changed = large;
  changed[150 * 1024] = 'y';
  EXPECT_THROW(big.verify(changed), Error);
}

using NewFolderTest = TempFolder;

TEST_F(NewFolderTest, FoldersItCreatedGoAgainUnlessKept) {
  { NewFolder discarded(path_ / "out" / "bin"); EXPECT_TRUE(fs::is_directory(path_ / "out" / "bin")); }
  EXPECT_TRUE(names().empty());
  fs::create_directories(path_ / "existing");
  { NewFolder discarded(path_ / "existing" / "bin"); }
  EXPECT_EQ(names(), std::vector<std::string>{"existing"});
  EXPECT_TRUE(fs::is_empty(path_ / "existing"));
  NewFolder kept(path_ / "out" / "bin");
  kept.keep();
  {
    NewFolder again(path_ / "out" / "bin");  // already there: nothing of its own to remove
  }
  EXPECT_TRUE(fs::is_directory(path_ / "out" / "bin"));
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
