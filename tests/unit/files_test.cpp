#include "core/files.h"

#include <cstdlib>
#include <fstream>
#include <thread>

#ifdef _WIN32
#include <windows.h>
#else
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <gtest/gtest.h>

#include "core/diagnostics.h"
#include "temp_folder.h"

namespace ptvsd::files {
namespace {

using test::TempFolder;

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
#ifdef _WIN32
  GTEST_SKIP() << "Windows has no mode bits: a folder's ACL decides who reads a file (only the "
                  "read-only attribute maps to one, tested by ReadOnlyFileIsRefusedUnchanged)";
#endif
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
#ifdef _WIN32
  GTEST_SKIP() << "a symbolic link on Windows needs a privilege (administrator or developer mode), "
                  "which Wine does not grant; sites deploy no links";
#endif
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
#ifdef _WIN32
  GTEST_SKIP() << "a symbolic link on Windows needs a privilege (administrator or developer mode), "
                  "which Wine does not grant; sites deploy no links";
#endif
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
  // On Windows this is the read-only attribute, which also stops the folder's removal.
  fs::permissions(target, fs::perms::owner_write, fs::perm_options::add);
}

#ifdef _WIN32
// Windows refuses to rename over a file that another handle holds open (POSIX replaces the name);
// another run reading the file, or an antivirus scanner, holds it for moments only. The commit
// waits for that handle instead of failing (four concurrent rotates failed two of them before).
TEST_F(AtomicFileTest, ReplacingAFileHeldOpenByAnotherReaderWaitsForItToClose) {
  const auto target = file("web.config", "old");
  auto reader = std::make_unique<std::ifstream>(target, std::ios::binary);  // no FILE_SHARE_DELETE
  ASSERT_TRUE(reader->is_open());
  std::thread closer([&reader] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    reader.reset();
  });
  AtomicFile out(target);
  out.write("new");
  EXPECT_NO_THROW(out.commit());
  closer.join();
  EXPECT_EQ(read(target), "new");
  EXPECT_EQ(names(), std::vector<std::string>{"web.config"});
}

// What the tool holds open, it shares with deletion: a replace_all keeps the old file under a
// second name (a hard link) and removes that name at the end, which Windows refuses while any
// handle to the file lacks FILE_SHARE_DELETE, as another run reading the file would have.
TEST_F(AtomicFileTest, ASecondNameOfAFileTheToolReadsCanBeRemoved) {
  const auto target = file("web.config", "old");
  platform::InputFile held;
  ASSERT_TRUE(held.open(target));
  fs::create_hard_link(target, path_ / "kept");
  std::error_code error;
  fs::remove(path_ / "kept", error);
  EXPECT_FALSE(error) << error.message();
}

// Names differing only in case are one file on Windows: replacing WEB.CONFIG replaces web.config.
TEST_F(AtomicFileTest, NamesDifferingOnlyInCaseAreOneFile) {
  file("web.config", "old");
  AtomicFile out(path_ / "WEB.CONFIG");
  out.write("new");
  out.commit();
  EXPECT_EQ(names().size(), 1u);
  EXPECT_EQ(read(path_ / "web.config"), "new");
}
#endif

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
#ifdef _WIN32
  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  PROCESS_INFORMATION child{};
  std::wstring command = L"cmd.exe /c exit 0";
  if (!CreateProcessW(nullptr, command.data(), nullptr, nullptr, FALSE, 0, nullptr, nullptr, &startup, &child)) {
    ADD_FAILURE() << "cannot start cmd.exe";
    return "0";
  }
  WaitForSingleObject(child.hProcess, INFINITE);
  CloseHandle(child.hThread);
  CloseHandle(child.hProcess);  // the last handle: the id is free from here on
  return std::to_string(child.dwProcessId);
#else
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  return std::to_string(child);
#endif
}

// The id of another process that runs as long as this test does.
std::string running_process_id() {
#ifdef _WIN32
  return std::to_string(platform::current_process_id());  // Windows gives no parent's id simply
#else
  return std::to_string(getppid());
#endif
}

TEST_F(SweepTest, ACommitRemovesItsTargetsAbandonedTempFilesOnly) {
  const auto target = file("web.config", "old");
  const auto ended = ended_process_id();
  const auto running = running_process_id();
  file(".web.config.ptvsd-" + ended + "-0123456789ab.tmp", "left by a killed run");
  file(".web.config.ptvsd-" + running + "-0123456789ab.tmp", "a running writer's");
  file(".other.config.ptvsd-" + ended + "-0123456789ab.tmp", "another file's");
  file(".web.config.ptvsd-0123456789ab.tmp", "no writer named");
  file(".web.config.ptvsd-" + ended + "-notes.txt", "not a temp file");
  fs::create_directories(path_ / (".web.config.ptvsd-" + ended + "-aaaaaaaaaaaa.tmp"));
#ifndef _WIN32  // no symbolic links there (see SymlinkLoopIsAnError)
  fs::create_symlink("web.config", path_ / (".web.config.ptvsd-" + ended + "-bbbbbbbbbbbb.tmp"));
#endif
  AtomicFile out(target);
  out.write("new");
  out.commit();
  std::vector<std::string> kept = {".other.config.ptvsd-" + ended + "-0123456789ab.tmp",
                                   ".web.config.ptvsd-" + ended + "-aaaaaaaaaaaa.tmp",
#ifndef _WIN32
                                   ".web.config.ptvsd-" + ended + "-bbbbbbbbbbbb.tmp",
#endif
                                   ".web.config.ptvsd-" + ended + "-notes.txt",
                                   ".web.config.ptvsd-" + running + "-0123456789ab.tmp",
                                   ".web.config.ptvsd-0123456789ab.tmp",
                                   "web.config"};
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(names(), kept);
}

TEST_F(SweepTest, FilesLeftAsTheyAreAreKeptAndTheirAbandonedTempFilesRemoved) {
  // publish again leaves an up-to-date proxy and manifest in bin/; a run killed there earlier
  // must not leave its temp files for good because this one replaces nothing in that folder.
  const auto proxy = file("ptvsd-proxy.exe", "the same proxy");
  const auto manifest = file("ptvsd-proxy.exe.sha256", "the same line\n");
  const auto ended = ended_process_id();
  file(".ptvsd-proxy.exe.ptvsd-" + ended + "-0123456789ab.tmp", "left by a killed run");
  file(".ptvsd-proxy.exe.sha256.ptvsd-" + ended + "-0123456789ab.tmp", "left by a killed run");
  file(".web.config.ptvsd-" + ended + "-0123456789ab.tmp", "another file's");
  make_durable({proxy, manifest});
  std::vector<std::string> kept = {".web.config.ptvsd-" + ended + "-0123456789ab.tmp", "ptvsd-proxy.exe",
                                   "ptvsd-proxy.exe.sha256"};
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(names(), kept);
  EXPECT_EQ(read(proxy), "the same proxy");
  EXPECT_EQ(read(manifest), "the same line\n");
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

// Issue 19, item 7: a kept old version that cannot be removed after success is named in a
// warning (it holds the old secret), and the files are replaced all the same.
TEST_F(FaultTest, AKeptOldFileThatCannotBeRemovedIsNamedInAWarning) {
  const auto a = file("a.config", "a-old");
  const auto b = file("b.config", "b-old");
  platform::fail_at("remove:2");
  const auto warnings = replace_all({{a, "a-new"}, {b, "b-new"}});
  EXPECT_EQ(read(a), "a-new");
  EXPECT_EQ(read(b), "b-new");
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_EQ(warnings[0].code(), Code::kept_file_left);
  const fs::path kept = warnings[0].where().file;
  EXPECT_EQ(read(kept), "b-old");
  EXPECT_NE(std::string(warnings[0].what()).find(b.string()), std::string::npos);
}

// Issue 14, item 9: an owner that cannot be kept is a warning naming the file, not an error.
TEST_F(FaultTest, AnOwnerThatCannotBeKeptIsNamedInAWarning) {
  const auto a = file("a.config", "a-old");
  platform::fail_at("owner");
  const auto warnings = replace_all({{a, "a-new"}});
  EXPECT_EQ(read(a), "a-new");
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_EQ(warnings[0].code(), Code::owner_not_kept);
  EXPECT_EQ(warnings[0].where().file, a.string());
}

TEST_F(FaultTest, ASecondRenameFailingPutsTheFirstFileBack) {
  const auto a = file("a.config", "a-old");
  const auto b = file("b.config", "b-old");
  const auto created = path_ / "c.config";
  platform::fail_at("rename:3");
  try {
    (void)replace_all({{created, "c-new"}, {a, "a-new"}, {b, "b-new"}});
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
    (void)replace_all({{a, "a-new"}, {b, "b-new"}, {c, "c-new"}});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.where().file, c.string());
    EXPECT_NE(std::string(error.what()).find("could not put back " + a.string()), std::string::npos) << error.what();
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
  EXPECT_THROW((void)replace_all({{a, "a-new"}, {b, "b-new"}}), Error);
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
    (void)replace_all({{a, "a-new"}, {b, "b-new"}});
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
  EXPECT_THROW((void)replace_all({{a, "a-new"}, {b, "b-new"}}), Error);
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
  EXPECT_THROW((void)replace_all({{first, "a-new"}, {path_ / "b.config", "b-new"}}), Error);
  EXPECT_EQ(read(first), "a-old");
  EXPECT_EQ(names(), (std::vector<std::string>{"a.config", "b.config"}));
}

TEST_F(ReplaceAllTest, AllFilesReplaced) {
  const auto a = file("a.config", "a-old");
  const auto b = file("b.config", "b-old");
  (void)replace_all({{a, "a-new"}, {b, "b-new"}});
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
  (void)replace_all({{a, "a-new"}, {b, "b-new"}});
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

// The packaged proxy (megabytes) goes from file to file through one small buffer: never held whole.
TEST_F(ReplaceAllTest, AVersionOfAFileIsCopiedAndComparedWithItsSource) {
  std::string program(200 * 1024 + 7, '\0');  // several chunks and a part
  for (std::size_t i = 0; i < program.size(); ++i) program[i] = static_cast<char>(i * 7 % 251);
  const auto source = file("proxy.exe", program);
  const auto target = path_ / "bin.exe";
  const auto version = read_in_chunks(source, [](std::string_view) { return false; });
  (void)replace_all({{target, version}});
  EXPECT_EQ(read(target), program);
  EXPECT_EQ(names(), (std::vector<std::string>{"bin.exe", "proxy.exe"}));
}

TEST_F(ReplaceAllTest, ASourceChangedSinceItWasLookedAtIsNotCopied) {
  const auto a = file("a.config", "a-old");
  const auto source = file("proxy.exe", "MZ version 1");
  const auto version = read_in_chunks(source, [](std::string_view) { return true; });
  std::ofstream(source, std::ios::binary | std::ios::app) << " rebuilt";
  try {
    (void)replace_all({{a, "a-new"}, {path_ / "bin.exe", version}});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Code::changed_meanwhile);
    EXPECT_EQ(error.where().file, source.string());
  }
  EXPECT_EQ(read(a), "a-old");
  EXPECT_EQ(names(), (std::vector<std::string>{"a.config", "proxy.exe"}));
}

TEST_F(ReplaceAllTest, ACopyThatDiffersFromItsSourceIsAnError) {
  const std::string large(150 * 1024, 'x');
  const auto source = file("proxy.exe", large);
  const auto version = read_in_chunks(source, [](std::string_view) { return false; });
  AtomicFile same(path_ / "same.exe");
  same.copy(version);
  same.finish_writing();
  EXPECT_NO_THROW(same.verify(version));
  for (const auto& other : {large.substr(1), large + "x", std::string(100 * 1024, 'x') + "y" + large.substr(1)}) {
    AtomicFile out(path_ / "other.exe");
    out.write(other);
    out.finish_writing();
    EXPECT_THROW(out.verify(version), Error) << other.size();
  }
}

TEST_F(AtomicFileTest, ReadInChunksHandsOverEveryChunkInOrderUntilAskedToStop) {
  std::string text(300 * 1024, '\0');
  for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>('a' + i % 26);
  const auto path = file("proxy.exe", text);
  std::string seen;
  int chunks = 0;
  const auto version = read_in_chunks(path, [&](std::string_view chunk) {
    seen += chunk;
    return ++chunks < 1000;
  });
  EXPECT_EQ(seen, text);
  EXPECT_GT(chunks, 1);
  const auto whole = read_contents(path);
  EXPECT_EQ(version.path, path);
  EXPECT_EQ(version.identity, whole.identity);
  EXPECT_EQ(version.mode, whole.mode);
  std::string first;
  (void)read_in_chunks(path, [&](std::string_view chunk) {
    first += chunk;
    return false;
  });
  EXPECT_EQ(first, text.substr(0, first.size()));
  EXPECT_LT(first.size(), text.size());
  EXPECT_THROW((void)read_in_chunks(path_, [](std::string_view) { return true; }), Error);
  EXPECT_THROW((void)read_in_chunks(path_ / "none", [](std::string_view) { return true; }), Error);
}

TEST_F(AtomicFileTest, AlreadyHoldsComparesEveryByte) {
  const std::string large(130 * 1024, 'p');
  const auto source = file("proxy.exe", large);
  const auto version = read_in_chunks(source, [](std::string_view) { return false; });
  EXPECT_TRUE(already_holds(file("same.exe", large), version));
  EXPECT_TRUE(already_holds(file("same.sha256", "line\n"), std::string_view("line\n")));
  EXPECT_FALSE(already_holds(file("short.exe", large.substr(1)), version));
  EXPECT_FALSE(already_holds(file("long.exe", large + "p"), version));
  EXPECT_FALSE(already_holds(file("one.exe", large.substr(0, 70 * 1024) + "q" + large.substr(70 * 1024 + 1)), version));
  EXPECT_FALSE(already_holds(file("other.sha256", "line\r\n"), std::string_view("line\n")));
  EXPECT_FALSE(already_holds(path_ / "absent.exe", version));
  EXPECT_FALSE(already_holds(path_, std::string_view("")));  // a folder
  std::ofstream(source, std::ios::binary | std::ios::app) << "rebuilt";
  try {
    (void)already_holds(path_ / "same.exe", version);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Code::changed_meanwhile);
  }
}

// Issue 14, item 10: a file edited between being read and being replaced keeps the edit, and
// nothing else is replaced either.
TEST_F(ReplaceAllTest, AFileChangedSinceItWasReadIsNotReplacedNorAnyOther) {
  const auto a = file("a.config", "a-old");
  const auto b = file("b.config", "b-old");
  platform::FileIdentity read_as;
  EXPECT_EQ(read(b, &read_as), "b-old");
  std::ofstream(b, std::ios::binary | std::ios::app) << " edited";  // in place: same inode
  try {
    (void)replace_all({{a, "a-new"}, {b, "b-new", owner_only, false, read_as}});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Code::changed_meanwhile);
    EXPECT_EQ(error.where().file, b.string());
  }
  EXPECT_EQ(read(a), "a-old");
  EXPECT_EQ(read(b), "b-old edited");
  EXPECT_EQ(names(), (std::vector<std::string>{"a.config", "b.config"}));
  platform::FileIdentity now;
  EXPECT_EQ(read(b, &now), "b-old edited");
  EXPECT_NO_THROW((void)replace_all({{a, "a-new"}, {b, "b-new", owner_only, false, now}}));
  EXPECT_EQ(read(b), "b-new");
}

// An editor that saves by writing a new file and renaming it over the old one can leave the size
// and the modification time as they were; the file's identity (inode, file index) still differs.
TEST_F(ReplaceAllTest, AFileReplacedByOneOfTheSameSizeAndTimeIsNotReplaced) {
  const auto b = file("b.config", "b-old");
  platform::FileIdentity read_as;
  EXPECT_EQ(read(b, &read_as), "b-old");
  const auto saved = file("b.config.saved", "b-NEW");
  fs::last_write_time(saved, fs::last_write_time(b));
  fs::rename(saved, b);
  try {
    (void)replace_all({{b, "b-new", owner_only, false, read_as}});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Code::changed_meanwhile);
  }
  EXPECT_EQ(read(b), "b-NEW");
}

// Issue 14, item 3: a file that must be new is never written through a link planted after the
// run checked that the name was free; the link and its target stay as they were.
TEST_F(ReplaceAllTest, AFileThatMustBeNewIsNotWrittenThroughALinkPlantedMeanwhile) {
#ifdef _WIN32
  GTEST_SKIP() << "a symbolic link on Windows needs a privilege (administrator or developer mode), "
                  "which Wine does not grant (see SymlinkTargetIsReplacedAndTheLinkStays)";
#endif
  const auto victim = file("victim", "someone else's");
  fs::permissions(victim,
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  const auto secret_file = path_ / "secret.txt";
  AtomicFile out(secret_file, owner_only, true);
  out.write("the secret");
  fs::create_symlink(victim, secret_file);  // planted between the check and the rename
  EXPECT_THROW(out.rename_into_place(), Error);
  EXPECT_TRUE(fs::is_symlink(secret_file));
  EXPECT_EQ(read(victim), "someone else's");
  fs::remove(secret_file);
  const auto config = file("web.config", "old");
  EXPECT_NO_THROW((void)replace_all({{secret_file, "the secret", owner_only, true}, {config, "new"}}));
  EXPECT_EQ(read(secret_file), "the secret");
  EXPECT_EQ(mode(secret_file), owner_only);
  fs::remove(secret_file);
  fs::create_symlink(victim, secret_file);
  EXPECT_THROW((void)replace_all({{config, "newer"}, {secret_file, "the secret", owner_only, true}}), Error);
  EXPECT_EQ(read(config), "new");  // put back
  EXPECT_EQ(read(victim), "someone else's");
}

using NewFolderTest = TempFolder;

TEST_F(NewFolderTest, FoldersItCreatedGoAgainUnlessKept) {
  {
    NewFolder discarded(path_ / "out" / "bin");
    EXPECT_TRUE(fs::is_directory(path_ / "out" / "bin"));
  }
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
#ifdef _WIN32  // names are case-insensitive: the name asked for is the file itself
  EXPECT_TRUE(fs::equivalent(*found, path_ / "Web.Debug.config"));
#else
  EXPECT_EQ(found->filename(), "Web.Debug.config");
#endif
  EXPECT_FALSE(find_case_insensitive(path_, "web.release.config").has_value());
}

TEST_F(FindTest, ExistsFollowsLinks) {
  file("a", "x");
  fs::create_directory(path_ / "folder");
  EXPECT_TRUE(files::exists(path_ / "a"));
  EXPECT_TRUE(files::exists(path_ / "folder"));
  EXPECT_FALSE(files::exists(path_ / "missing"));
  EXPECT_FALSE(files::exists(path_ / "a" / "below a file"));
#ifndef _WIN32  // no symbolic links without privileges there, nor under Wine
  fs::create_symlink(path_ / "missing", path_ / "dangling");
  EXPECT_FALSE(files::exists(path_ / "dangling"));
#endif
}

TEST(PlatformTest, AnEnvironmentVariableIsReadAsACopyOrNothing) {
  constexpr const char* name = "PTVSD_UNIT_TEST_VARIABLE";
#ifdef _WIN32
  ASSERT_EQ(_putenv_s(name, "a value"), 0);
  EXPECT_EQ(platform::environment_variable(name), "a value");
  ASSERT_EQ(_putenv_s(name, ""), 0);  // Windows has no empty variable: this removes it
#else
  ASSERT_EQ(setenv(name, "a value", 1), 0);
  EXPECT_EQ(platform::environment_variable(name), "a value");
  ASSERT_EQ(setenv(name, "", 1), 0);
  EXPECT_EQ(platform::environment_variable(name), "");  // set, and empty: not the same as unset
  ASSERT_EQ(unsetenv(name), 0);
#endif
  EXPECT_EQ(platform::environment_variable(name), std::nullopt);
}

using SeamTest = TempFolder;

// Issue 15: what the commands ask of the disk, each with a value for "nothing there".
TEST_F(SeamTest, WhatIsAtAName) {
  file("a.config", "x");
  fs::create_directories(path_ / "sub");
  EXPECT_EQ(kind_of(path_ / "a.config"), Kind::file);
  EXPECT_EQ(kind_of(path_ / "sub"), Kind::folder);
  EXPECT_EQ(kind_of(path_ / "absent"), Kind::absent);
  EXPECT_EQ(kind_of(path_ / "absent" / "below"), Kind::absent);
  EXPECT_TRUE(name_taken(path_ / "a.config"));
  EXPECT_FALSE(name_taken(path_ / "absent"));
  auto names = names_in(path_);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"a.config", "sub"}));
  EXPECT_TRUE(names_in(path_ / "absent").empty());
  EXPECT_TRUE(names_in(path_ / "a.config").empty());
}

TEST_F(SeamTest, ReadIfExistsGivesTheBytesWithTheVersionAndModeRead) {
  const auto path = file("a.config", "contents");
  EXPECT_FALSE(read_if_exists(path_ / "absent").has_value());
  const auto read = read_if_exists(path);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->bytes.str(), "contents");
  platform::FileIdentity now;
  ASSERT_TRUE(platform::identity_of(path, now));
  EXPECT_EQ(read->identity, now);
#ifndef _WIN32  // Windows has read-only only (platform::InputFile::mode)
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  EXPECT_EQ(read_contents(path).mode, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
#endif
  fs::create_directories(path_ / "sub");
  try {
    (void)read_if_exists(path_ / "sub");  // something is there, and it cannot be read
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Code::not_a_file);
  }
}

TEST_F(SeamTest, ALinkToNothingTakesItsNameButHoldsNothing) {
#ifdef _WIN32
  GTEST_SKIP() << "a symbolic link on Windows needs a privilege (administrator or developer mode), "
                  "which Wine does not grant (see SymlinkTargetIsReplacedAndTheLinkStays)";
#endif
  fs::create_symlink(path_ / "absent", path_ / "dangling");
  EXPECT_TRUE(name_taken(path_ / "dangling"));
  EXPECT_EQ(kind_of(path_ / "dangling"), Kind::absent);
  EXPECT_FALSE(read_if_exists(path_ / "dangling").has_value());
}

#ifdef PTVSD_FAULT_INJECTION
TEST_F(FaultTest, AnOpenFileWhoseStatusCannotBeHadIsAReadError) {
  const auto path = file("a.config", "x");
  for (const char* fault : {"stat:1", "stat:2"}) {  // its identity, then its mode
    platform::fail_at(fault);
    try {
      (void)read_contents(path);
      ADD_FAILURE() << fault << ": no error";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), Code::read_failed) << fault;
      EXPECT_EQ(error.where().file, path.string());
    }
  }
  platform::fail_at("");
  EXPECT_EQ(read_contents(path).bytes.str(), "x");
}
#endif  // PTVSD_FAULT_INJECTION

}  // namespace
}  // namespace ptvsd::files
