#include "core/platform.h"

#include <cerrno>
#include <cstring>
#include <string>

#ifdef _WIN32
#include <io.h>
#include <sys/locking.h>
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#endif

namespace ptvsd::platform {

bool OutputFile::create_new(const std::filesystem::path& path) {
#ifdef _WIN32
  file_ = _wfopen(path.c_str(), L"wbx");
#else
  file_ = std::fopen(path.c_str(), "wbx");
#endif
  return file_ != nullptr;
}

bool OutputFile::write(std::string_view data) {
  return std::fwrite(data.data(), 1, data.size(), file_) == data.size();
}

bool OutputFile::flush_to_disk() {
  if (std::fflush(file_) != 0) return false;
#ifdef _WIN32
  return _commit(_fileno(file_)) == 0;
#else
  return fsync(fileno(file_)) == 0;
#endif
}

bool OutputFile::close() {
  const bool ok = std::fclose(file_) == 0;
  file_ = nullptr;
  return ok;
}

OutputFile::~OutputFile() {
  if (file_ != nullptr) std::fclose(file_);
}

void sync_directory(const std::filesystem::path& directory) {
#ifndef _WIN32
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    (void)fsync(fd);
    ::close(fd);
  }
#else
  (void)directory;
#endif
}

bool FileLock::open(const std::filesystem::path& path) {
#ifdef _WIN32
  file_ = _wfopen(path.c_str(), L"ab");
#else
  file_ = std::fopen(path.c_str(), "ab");
#endif
  return file_ != nullptr;
}

bool FileLock::try_lock() {
#ifdef _WIN32
  return _locking(_fileno(file_), _LK_NBLCK, 1) == 0;
#else
  return flock(fileno(file_), LOCK_EX | LOCK_NB) == 0;
#endif
}

FileLock::~FileLock() {
  if (file_ != nullptr) std::fclose(file_);  // closing releases the lock
}

std::filesystem::path executable_path() {
#ifdef _WIN32
  wchar_t buffer[MAX_PATH * 4];
  const DWORD size = GetModuleFileNameW(nullptr, buffer, static_cast<DWORD>(std::size(buffer)));
  return std::filesystem::path(std::wstring(buffer, size));
#else
  std::error_code error;
  auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path() : path;
#endif
}

std::string executable_file_name(std::string_view stem) {
#ifdef _WIN32
  return std::string(stem) + ".exe";
#else
  return std::string(stem);
#endif
}

std::string last_error() { return std::strerror(errno); }

bool stderr_is_terminal() {
#ifdef _WIN32
  return _isatty(_fileno(stderr)) != 0;
#else
  return isatty(STDERR_FILENO) != 0;
#endif
}

}  // namespace ptvsd::platform
