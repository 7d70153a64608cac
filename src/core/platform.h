// The only code that calls the operating system directly (POSIX or Win32). Everything else uses
// std::filesystem and these few calls, so a port or a fault-injection seam has one place to go.
//
// Fault injection: a build with PTVSD_FAULT_INJECTION defined (CMake option of the same name, for
// tests only) makes one call fail as the operating system would, errno set, chosen by the
// environment variable PTVSD_FAULT=<step>[:<nth>][,<step>[:<nth>]...] (read once; nth counts that
// step's calls from 1, default 1) or by fail_at(). The steps: create, mode, write, short-write
// (half the bytes written, then ENOSPC), flush, close, rename, open (for reading), read, stat (an
// open file's identity or mode), lock, mkdir, link (a failed hard link: keep_copy copies instead),
// copy, owner, remove, list (a folder that cannot be listed: EACCES), list-gone (ENOENT, as for a
// folder removed between its parent's listing and its own). Other builds contain none of this.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace ptvsd::platform {

// What tells one version of a file from another without reading it: a file edited in place
// changes its size or modification time, one replaced by a rename changes its identity.
struct FileIdentity {
  std::uint64_t device = 0;  // POSIX st_dev; Windows the volume serial number
  std::uint64_t file = 0;    // POSIX st_ino; Windows the file index
  std::uint64_t size = 0;
  std::int64_t modified = 0;  // nanoseconds (POSIX) or 100 ns ticks (Windows)
  bool operator==(const FileIdentity& other) const {
    return device == other.device && file == other.file && size == other.size && modified == other.modified;
  }
  bool operator!=(const FileIdentity& other) const { return !(*this == other); }
};

// The identity of the file at `path` (links followed). False (errno set) when it cannot be read.
[[nodiscard]] bool identity_of(const std::filesystem::path& path, FileIdentity& identity);

// A file being written: created exclusively (it must not exist), closed by the destructor.
class OutputFile {
 public:
  // Creates the file with exactly `mode` (the umask does not apply), before any byte is written.
  // Returns false (errno set, nothing left on disk) when the file exists or cannot be created.
  [[nodiscard]] bool create_new(const std::filesystem::path& path, std::filesystem::perms mode);
  // Gives the new file the owner and group of `existing`, so that replacing another user's file
  // (root running the tool, say) does not hand it over. True when they already match or were set;
  // false (errno set) when the process may not set them. Windows: a new file's owner is always its
  // creator, and its access comes from the folder's inherited ACL; true.
  [[nodiscard]] bool copy_owner(const std::filesystem::path& existing);
  [[nodiscard]] bool write(std::string_view data);
  // fflush plus fsync/_commit: the bytes are on disk, not just in a cache, before a rename.
  [[nodiscard]] bool flush_to_disk();
  [[nodiscard]] bool close();
  ~OutputFile();

 private:
  std::FILE* file_ = nullptr;
};

// A file being read, closed by the destructor.
class InputFile {
 public:
  [[nodiscard]] bool open(const std::filesystem::path& path);
  // Bytes read into `buffer` (up to `size`); 0 at the end; false on an error (errno set).
  [[nodiscard]] bool read(char* buffer, std::size_t size, std::size_t& count);
  // The open file's identity (what was read is this version of it). False (errno set) on failure.
  [[nodiscard]] bool identity(FileIdentity& identity) const;
  // The open file's permission bits, so that a copy gets the mode of the bytes read, not of
  // whatever has the name a moment later. Windows has only read-only, and ignores a new file's
  // mode anyway (OutputFile::create_new): 0444 or 0666. False (errno set) on failure.
  [[nodiscard]] bool mode(std::filesystem::perms& mode) const;
  ~InputFile();

 private:
  std::FILE* file_ = nullptr;
};

// Opens the folder `path` for listing. On failure (unreadable, removed meanwhile, not a folder)
// `error` is set and the end iterator returned. Through here, not std::filesystem directly, so that
// the fault seam reaches every folder that `rotate DIR` and a pattern read.
std::filesystem::directory_iterator open_folder(const std::filesystem::path& path, std::error_code& error);

// Flushes a file that is already there to disk (fsync; Windows FlushFileBuffers, which needs write
// access), so a file left as it is is as durable as one just written. False (errno set) on failure.
[[nodiscard]] bool flush_existing_file(const std::filesystem::path& path);

// Renames `from` over `to` in one step: `to` is the old file or the new one, never missing.
[[nodiscard]] bool replace_file(const std::filesystem::path& from, const std::filesystem::path& to);

// Renames `from` to `to` only if nothing (not even a dangling link) has that name: a file that must
// be new (--secret-file) is never written through a link someone planted meanwhile. False (errno
// EEXIST) when `to` exists.
[[nodiscard]] bool rename_new(const std::filesystem::path& from, const std::filesystem::path& to);

// Removes the file (or link) `path`. False (errno set) when it cannot.
[[nodiscard]] bool remove_file(const std::filesystem::path& path);

// Creates the folder `path`, whose parent exists, with mode 0755 at most (less under a stricter
// umask): a folder of a site's output needs no write access for others, even under umask 000.
// False with `error` set when it cannot; false with no error when it exists already as a folder
// (std::filesystem::create_directory's contract).
[[nodiscard]] bool create_folder(const std::filesystem::path& path, std::error_code& error);

// Gives the file `existing` a second name `copy`, which must not exist: a hard link, so no byte
// is copied, or where the file system has none (FAT, some network shares) a copy with the same
// mode. False (errno set, no `copy` left) when neither works.
[[nodiscard]] bool keep_copy(const std::filesystem::path& existing, const std::filesystem::path& copy);

// This process's id, and whether a process with that id runs (one of another user counts too).
// Temp files carry their writer's id, so a later run can tell an abandoned one from one in use.
int current_process_id();
bool process_is_running(int id);

// After a rename, the directory entry itself must reach the disk for the rename to survive a power
// cut (POSIX; Windows' MoveFileEx has no separate step). So must a new folder's entry in its
// parent. An empty path (the parent of a relative name) is the current folder. Best effort:
// failures are not errors.
void sync_directory(const std::filesystem::path& directory);

// An exclusive advisory lock on an open file, released by the kernel when the process dies, so a
// killed publish never leaves a stale lock behind.
class FileLock {
 public:
  // Opens or creates (0600) the lock file without following a link and without blocking (a FIFO
  // put in its place must not hang the run). False (errno set) when it cannot; false with
  // `not_regular` set for a link, device, FIFO, folder or the like.
  [[nodiscard]] bool open(const std::filesystem::path& path, bool& not_regular);
  [[nodiscard]] bool try_lock();  // false: another process holds it
  FileLock() = default;
  FileLock(FileLock&& other) noexcept : file_(std::exchange(other.file_, nullptr)) {}
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  FileLock& operator=(FileLock&&) = delete;
  ~FileLock();

 private:
  std::FILE* file_ = nullptr;
};

// Absolute path of the running executable (to find templates and the proxy installed beside it).
std::filesystem::path executable_path();

// "name" on POSIX, "name.exe" on Windows.
std::string executable_file_name(std::string_view stem);

// Makes a block of memory of at least huge_page_size() that nothing has touched yet and that is
// about to be filled cheap to fill: its whole 2 MiB pages are backed by huge pages, and all of it
// is mapped in one call rather than one page fault at a time; a smaller block is left as it is. A 10 MiB config passes
// through three buffers of its size (read, parsed, spliced) and pugixml's pages; at 4 KiB a page that was 12,500 page
// faults, two thirds of a rotate's time on this project's VMs (bench/README.md). Linux only (madvise MADV_HUGEPAGE,
// honoured where transparent huge pages are "madvise" or "always", and MADV_POPULATE_WRITE);
// elsewhere nothing.
void prefer_huge_pages(void* data, std::size_t size);

// The size of the huge pages prefer_huge_pages() asks for (2 MiB), or 0 where it does nothing.
std::size_t huge_page_size();

// Reserves `capacity` bytes for `text`, with prefer_huge_pages().
void reserve_in_huge_pages(std::string& text, std::size_t capacity);

// The last OS error as text, for messages.
std::string last_error();

// Whether standard error is a terminal (colours are for people at one, never for logs or MSBuild).
bool stderr_is_terminal();

// The value of the environment variable `name`, or nullopt when it is not set (set but empty is
// ""). A copy: the caller wipes it if it may be a secret. Read before any thread starts (getenv
// is not safe against a concurrent setenv).
std::optional<std::string> environment_variable(const char* name);

#ifdef PTVSD_FAULT_INJECTION
// Plans faults as PTVSD_FAULT does ("rename:2,create:4"), counting calls from now and replacing
// any earlier plan; "" plans none.
void fail_at(std::string_view spec);
#endif

}  // namespace ptvsd::platform
