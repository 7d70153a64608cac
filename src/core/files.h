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
#include <variant>
#include <vector>

#include "core/diagnostics.h"
#include "core/platform.h"
#include "core/secret.h"

namespace ptvsd::files {

namespace fs = std::filesystem;

// A whole regular file, read into one buffer allocated once (no reallocation leaves a copy of a
// secret behind). Throws Error(not_a_file) for a directory and the like, Error(read_failed) when it
// cannot be opened or read, or grew while being read. `identity`, if given, receives the identity
// of the version read, for Replacement::unchanged_since.
std::string read(const fs::path& path, platform::FileIdentity* identity = nullptr);

// A file as read: its bytes, and the identity and permission bits of the version read (taken from
// the open file, so they describe these bytes even if the name is replaced meanwhile).
struct Contents {
  SensitiveString bytes;
  platform::FileIdentity identity;
  fs::perms mode = fs::perms::none;
};

// read(), with the version's identity and mode. Throws as read() does, and Error(read_failed) when
// they cannot be had.
Contents read_contents(const fs::path& path);

// read_contents(), or nullopt when nothing is at `path` (links followed: a link to nothing is
// nothing, and so is a name behind a folder that may not be searched). Whatever is there but cannot
// be read (a folder, a device, a file without read permission) is an error, as for read().
std::optional<Contents> read_if_exists(const fs::path& path);

// One version of a file, known without holding its bytes: a replacement copies it through one
// small buffer (files of megabytes need no buffer of their own), and refuses it with
// Error(changed_meanwhile) if the file at `path` is another version by then.
struct FileVersion {
  fs::path path;
  platform::FileIdentity identity;
  fs::perms mode = fs::perms::none;
};

// Reads `path` a chunk at a time through one reused buffer, calling `each` with every chunk in
// order until it returns false or the file ends; the chunks are wiped after use. Returns the
// version read. Throws as read() does, and Error(changed_meanwhile) when the file changes while
// being read.
FileVersion read_in_chunks(const fs::path& path, const std::function<bool(std::string_view chunk)>& each);

// What a replaced file gets: bytes held in memory, or those of a version of another file.
using Bytes = std::variant<std::string_view, FileVersion>;

// Whether the file at `path` (links followed) holds exactly `bytes`, compared a chunk at a time.
// False when no file is there (nothing, a folder: replacing it reports that). Throws
// Error(read_failed) when either cannot be read, Error(changed_meanwhile) as copying does.
bool already_holds(const fs::path& path, const Bytes& bytes);

// Makes files that stay as they are as durable as ones replace_all writes: each file, then each
// of their folders once, is flushed to disk, and their abandoned temp files there are removed, as
// replace_all removes them. Throws Error(write_failed).
void make_durable(const std::vector<fs::path>& paths);

// What is at `path`, links followed. `absent` also for a link to nothing and for a name that
// cannot be looked at (a folder on the way that may not be searched): there is nothing to use.
enum class Kind { absent, file, folder, other };
Kind kind_of(const fs::path& path);

// Whether anything (a file, a folder, ...) is at `path`, links followed: kind_of is not absent.
bool exists(const fs::path& path);

// Whether anything has this name, a link (even one to nothing) included: a file that must be new
// cannot be created there.
bool name_taken(const fs::path& path);

// The names of the entries of `folder`, in the order listed; none when it cannot be listed
// (absent, not a folder, no permission).
std::vector<std::string> names_in(const fs::path& folder);

// The file a replacement writes: the final target of a symlink chain, so the link stays a link.
// Throws Error(read_failed) for a loop or a dangling link.
fs::path replacement_target(const fs::path& path);

// Mode of a file that did not exist: owner-only (0600) for anything that holds a secret.
inline constexpr fs::perms owner_only = fs::perms::owner_read | fs::perms::owner_write;

class AtomicFile {
 public:
  // Creates the temp file. An existing target lends its permissions, owner and group (see
  // owner_not_kept()); one without write permission is refused (Error(write_failed)), as a user
  // who made it read-only meant it. `must_be_new`: the target is taken as named, links not
  // followed, gets `new_file_mode` and nothing else, and the rename fails if anything has taken
  // its name meanwhile (a file holding only a secret is never written where someone else chose).
  explicit AtomicFile(const fs::path& target, fs::perms new_file_mode = owner_only, bool must_be_new = false);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();  // an uncommitted temp file is removed

  void write(std::string_view data);
  // Writes the bytes of `source` a chunk at a time. Throws Error(changed_meanwhile) when the file
  // is not that version, Error(read_failed) when it cannot be read.
  void copy(const FileVersion& source);
  // Flushes and closes without renaming, so several files can be readied before any is replaced.
  void finish_writing();
  // Reads the finished temp file back and compares it with `expected` (the bytes written, or the
  // file copied, read again): a file system that lost or changed a byte is caught while the target
  // is still untouched. Throws Error(write_failed), or as copy() does for the file's side.
  void verify(const Bytes& expected) const;
  // Finishes writing, renames the temp file over the target, makes the rename durable and removes
  // the target's abandoned temp files (remove_abandoned_temp_files).
  void commit();
  // Finishes writing and renames, nothing more: replace_all syncs and sweeps each folder once.
  void rename_into_place();
  const fs::path& target() const { return target_; }
  // Why the existing target's owner and group could not be given to the new file, or "".
  const std::string& owner_not_kept() const { return owner_not_kept_; }

 private:
  fs::path target_;
  fs::path temp_;
  bool must_be_new_;
  std::string owner_not_kept_;
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
  Bytes contents;
  fs::perms new_file_mode = owner_only;
  bool must_be_new = false;  // see AtomicFile
  // The version the new contents were made from (read()'s identity): if the file is another one
  // just before its rename (edited or replaced meanwhile), nothing is replaced and
  // Error(changed_meanwhile) is thrown, so a concurrent edit is never lost silently.
  std::optional<platform::FileIdentity> unchanged_since = std::nullopt;
};

// Replaces every file or, as far as the disk allows, none: all temp files are written, flushed
// and read back before the first rename, and each existing target is kept under a temp name (a
// hard link, a copy where links are not supported) until all are renamed. If a rename fails, the
// files already replaced get their old file back by one rename each (each tried even when another
// cannot be; a file that did not exist is removed) and the error is thrown, naming any file that
// could not be put back. Nothing is held in memory but the new contents. Returns warnings (not
// thrown): a file whose owner could not be kept (Code::owner_not_kept), a kept old version that
// could not be removed afterwards (Code::kept_file_left), each naming the file.
[[nodiscard]] std::vector<Error> replace_all(const std::vector<Replacement>& replacements);

// Creates a folder with its missing parents, each synced into its parent folder at once (so it
// survives a power cut with the files later put in it), and removes the ones it created again
// unless keep() was called: a run that fails leaves no empty folder behind. Throws
// Error(write_failed).
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

// The lock file of a folder whose configs a run replaces: publish takes its project's, rotate the
// one of each folder it rotates files in, so runs on the same file wait for each other instead of
// failing with PTVSD035.
inline constexpr std::string_view lock_file_name = ".ptvsd-publish.lock";

// Serialises the runs that replace files in one folder. The lock is the kernel's (flock /
// LockFile), so a crashed run frees it at once; the file itself stays, empty.
class ProjectLock {
 public:
  // Waits up to `timeout`, then throws Error(lock_timeout). `on_wait` is called once, when the
  // first attempt finds the lock taken, so a person sees why the run pauses.
  ProjectLock(const fs::path& lock_file, std::chrono::milliseconds timeout, const std::function<void()>& on_wait = {});

 private:
  platform::FileLock lock_;
};

// The folders whose locks a run that replaces `files` takes: each file's own (a link's target's),
// absolute, once each, and sorted, so two runs over overlapping sets take them in the same order
// and cannot deadlock.
std::vector<fs::path> folders_to_lock(const std::vector<std::string>& files);

// Calls visit(entry) for each entry of `folder`. A folder that cannot be listed (unreadable, or
// removed since its parent was listed), or whose listing fails midway, is an Error naming it
// (PTVSD030 "cannot list the folder"): skipping it would act on half a folder while the run
// reports success. Opened through the platform seam, so that the fault sweep reaches every folder
// read.
void for_each_entry(const fs::path& folder, const std::function<void(const fs::directory_entry&)>& visit);

// `directory/name`, or a file there whose name differs only in ASCII case (Web.Debug.config made on
// Windows, read on Linux). nullopt when there is none.
std::optional<fs::path> find_case_insensitive(const fs::path& directory, std::string_view name);

// Where templates are installed: <prefix>/share/ptvsd-publish/templates beside <prefix>/bin.
fs::path templates_directory();

// The win-x64 proxy installed for sites: <prefix>/share/ptvsd-publish/site/win-x64/ptvsd-proxy.exe.
fs::path site_proxy_path();

}  // namespace ptvsd::files
