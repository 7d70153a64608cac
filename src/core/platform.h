// The only code that calls the operating system directly (POSIX or Win32). Everything else uses
// std::filesystem and these few calls, so a port or a fault-injection seam has one place to go.
//
// Fault injection: a build with PTVSD_FAULT_INJECTION defined (CMake option of the same name, for
// tests only) makes one call fail as the operating system would, errno set, chosen by the
// environment variable PTVSD_FAULT=<step>[:<nth>][,<step>[:<nth>]...] (read once; nth counts that
// step's calls from 1, default 1) or by fail_at(). The steps: create, mode, write, short-write
// (half the bytes written, then ENOSPC), flush, close, rename, open (for reading), read, lock,
// mkdir, link (a failed hard link: keep_copy copies instead), copy. Other builds contain none of
// this.
#pragma once

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace ptvsd::platform {

// A file being written: created exclusively (it must not exist), closed by the destructor.
class OutputFile {
 public:
  // Creates the file with exactly `mode` (the umask does not apply), before any byte is written.
  // Returns false (errno set, nothing left on disk) when the file exists or cannot be created.
  [[nodiscard]] bool create_new(const std::filesystem::path& path, std::filesystem::perms mode);
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
  ~InputFile();

 private:
  std::FILE* file_ = nullptr;
};

// Renames `from` over `to` in one step: `to` is the old file or the new one, never missing.
[[nodiscard]] bool replace_file(const std::filesystem::path& from, const std::filesystem::path& to);

// Creates the folder `path`, whose parent exists. False with `error` set when it cannot; false
// with no error when it exists already (std::filesystem::create_directory's contract).
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
// cut (POSIX; Windows' MoveFileEx has no separate step). Best effort: failures are not errors.
void sync_directory(const std::filesystem::path& directory);

// An exclusive advisory lock on an open file, released by the kernel when the process dies, so a
// killed publish never leaves a stale lock behind.
class FileLock {
 public:
  [[nodiscard]] bool open(const std::filesystem::path& path);
  [[nodiscard]] bool try_lock();  // false: another process holds it
  ~FileLock();

 private:
  std::FILE* file_ = nullptr;
};

// Absolute path of the running executable (to find templates and the proxy installed beside it).
std::filesystem::path executable_path();

// "name" on POSIX, "name.exe" on Windows.
std::string executable_file_name(std::string_view stem);

// The last OS error as text, for messages.
std::string last_error();

// Whether standard error is a terminal (colours are for people at one, never for logs or MSBuild).
bool stderr_is_terminal();

#ifdef PTVSD_FAULT_INJECTION
// Plans faults as PTVSD_FAULT does ("rename:2,create:4"), counting calls from now and replacing
// any earlier plan; "" plans none.
void fail_at(std::string_view spec);
#endif

}  // namespace ptvsd::platform
