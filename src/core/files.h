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
  // Flushes the temp file to disk, then renames it over the target. After this, the target is new,
  // and the target's abandoned temp files are gone (remove_abandoned_temp_files).
  void commit();
  // Flushes and closes without renaming, so several files can be readied before any is replaced.
  // commit() does it when it has not been done.
  void finish_writing();
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
// Every successful commit() calls it.
int remove_abandoned_temp_files(const fs::path& target);

// One file of a multi-file replacement. `original` is the content it had, to put back should a
// later file fail; nullopt means there was no file, so undoing removes it.
struct Replacement {
  fs::path path;
  std::string_view contents;
  std::optional<std::string_view> original;
  fs::perms new_file_mode = owner_only;
};

// Replaces every file or, as far as the disk allows, none: all temp files are written and flushed
// before the first rename; if a rename fails, the files already replaced get their original
// content back (atomically too, each tried even when another cannot be) and the error is thrown,
// naming any file that could not be put back.
void replace_all(const std::vector<Replacement>& replacements);

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
