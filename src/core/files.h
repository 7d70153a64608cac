// Everything the tool does to the disk: reading, atomic replacement, the project lock, finding
// files. Replacement is all or nothing: a temp file beside the target is written, flushed to disk
// and renamed over it, so a crash at any moment leaves the old file or the new one, never a mix.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/platform.h"

namespace ptvsd::files {

namespace fs = std::filesystem;

// A whole regular file, read into one buffer allocated once (no reallocation leaves a copy of a
// secret behind). Throws Error(not_a_file) for a directory and the like, Error(read_failed) when it
// cannot be opened or read, or grew while being read.
std::string read(const fs::path& path);

// The file a replacement writes: the final target of a symlink chain, so the link stays a link.
// Throws Error(read_failed) for a loop or a dangling link.
fs::path replacement_target(const fs::path& path);

// Mode of a file that did not exist: owner-only (0600) for anything that holds a secret.
inline constexpr fs::perms owner_only = fs::perms::owner_read | fs::perms::owner_write;

class AtomicFile {
 public:
  // Creates the temp file. An existing target lends its permissions; one without write permission
  // is refused (Error(write_failed)), as a user who made it read-only meant it.
  explicit AtomicFile(const fs::path& target, fs::perms new_file_mode = owner_only);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();  // an uncommitted temp file is removed

  void write(std::string_view data);
  // Flushes and closes without renaming, so several files can be readied before any is replaced.
  void finish_writing();
  // Reads the finished temp file back and compares it with `expected`: a file system that lost or
  // changed a byte is caught while the target is still untouched. Throws Error(write_failed).
  void verify(std::string_view expected) const;
  // Finishes writing, renames the temp file over the target, makes the rename durable and removes
  // the target's abandoned temp files (remove_abandoned_temp_files).
  void commit();
  // Finishes writing and renames, nothing more: replace_all syncs and sweeps each folder once.
  void rename_into_place();
  const fs::path& target() const { return target_; }

 private:
  fs::path target_;
  fs::path temp_;
  platform::OutputFile out_;
  bool written_ = false;
  bool finished_ = false;
  bool committed_ = false;
};

// Removes the temp files `.<name>.ptvsd-<pid>-<hex>.tmp` beside `target` that a killed run left
// behind: regular files whose writer (the process id in the name) no longer runs. Returns how
// many. A running writer's temp files are left alone (on one machine: a folder shared by several
// machines can lose another machine's temp file, which fails that run cleanly at its rename).
// Every successful commit() and replace_all() calls it.
int remove_abandoned_temp_files(const fs::path& target);

// One file of a multi-file replacement, and the mode it gets if it is new.
struct Replacement {
  fs::path path;
  std::string_view contents;
  fs::perms new_file_mode = owner_only;
};

// Replaces every file or, as far as the disk allows, none: all temp files are written, flushed
// and read back before the first rename, and each existing target is kept under a temp name (a
// hard link, a copy where links are not supported) until all are renamed. If a rename fails, the
// files already replaced get their old file back by one rename each (each tried even when another
// cannot be; a file that did not exist is removed) and the error is thrown, naming any file that
// could not be put back. Nothing is held in memory but the new contents.
void replace_all(const std::vector<Replacement>& replacements);

// Creates a folder with its missing parents, and removes the ones it created again unless keep()
// was called: a run that fails leaves no empty folder behind. Throws Error(write_failed).
class NewFolder {
 public:
  explicit NewFolder(const fs::path& folder);
  NewFolder(const NewFolder&) = delete;
  NewFolder& operator=(const NewFolder&) = delete;
  ~NewFolder();
  void keep() { created_.clear(); }

 private:
  void remove_created();

  std::vector<fs::path> created_;  // innermost first
};

// Serialises publishes of one project. The lock is the kernel's (flock / LockFile), so a crashed
// run frees it at once; the file itself stays, empty.
class ProjectLock {
 public:
  // Waits up to `timeout`, then throws Error(lock_timeout). `on_wait` is called once, when the
  // first attempt finds the lock taken, so a person sees why the run pauses.
  ProjectLock(const fs::path& lock_file, std::chrono::milliseconds timeout,
              const std::function<void()>& on_wait = {});

 private:
  platform::FileLock lock_;
};

// `directory/name`, or a file there whose name differs only in ASCII case (Web.Debug.config made on
// Windows, read on Linux). nullopt when there is none.
std::optional<fs::path> find_case_insensitive(const fs::path& directory, std::string_view name);

// Where templates are installed: <prefix>/share/ptvsd-publish/templates beside <prefix>/bin.
fs::path templates_directory();

}  // namespace ptvsd::files
