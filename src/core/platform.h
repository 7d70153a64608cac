// The only code that calls the operating system directly (POSIX or Win32). Everything else uses
// std::filesystem and these few calls, so a port or a fault-injection seam has one place to go.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace ptvsd::platform {

// A file being written: fopen'd exclusively (it must not exist), closed by the destructor.
class OutputFile {
 public:
  // Returns false (errno/GetLastError set) when the file exists or cannot be created.
  [[nodiscard]] bool create_new(const std::filesystem::path& path);
  [[nodiscard]] bool write(std::string_view data);
  // fflush plus fsync/_commit: the bytes are on disk, not just in a cache, before a rename.
  [[nodiscard]] bool flush_to_disk();
  [[nodiscard]] bool close();
  ~OutputFile();

 private:
  std::FILE* file_ = nullptr;
};

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

}  // namespace ptvsd::platform
