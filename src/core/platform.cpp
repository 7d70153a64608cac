#include "core/platform.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>
#include <system_error>
#include <vector>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <sys/locking.h>
#include <windows.h>
#else
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace ptvsd::platform {

namespace {

#ifdef PTVSD_FAULT_INJECTION
struct Fault {
  std::string step;
  int nth = 1;
  int calls = 0;
};

// "rename:2,create:4" -> two faults, each counting its step's calls on its own.
std::vector<Fault> faults_from(std::string_view spec) {
  std::vector<Fault> faults;
  while (!spec.empty()) {
    const auto item = spec.substr(0, spec.find(','));
    spec.remove_prefix(std::min(spec.size(), item.size() + 1));
    const auto colon = item.find(':');
    Fault fault{std::string(item.substr(0, colon))};
    if (colon != std::string_view::npos) fault.nth = std::atoi(std::string(item.substr(colon + 1)).c_str());
    faults.push_back(fault);
  }
  return faults;
}

std::vector<Fault>& planned_faults() {
  static std::vector<Fault> faults = faults_from(environment_variable("PTVSD_FAULT").value_or(""));
  return faults;
}

// True (errno set to `error`) when this call of `step` is one chosen to fail.
bool fault(std::string_view step, int error) {
  bool chosen = false;
  for (auto& planned : planned_faults()) {
    if (planned.step == step && ++planned.calls == planned.nth) chosen = true;
  }
  if (chosen) errno = error;
  return chosen;
}
#else
constexpr bool fault(std::string_view, int) { return false; }
#endif

// stdio's own buffer would be freed unwiped with a copy of whatever passed through it, a secret
// included. Every read and write here moves a whole file or a large chunk in one call, so the
// buffer gains nothing.
// (setvbuf only fails for an invalid mode; a failure would cost that wipe, not correctness.)
std::FILE* unbuffered(std::FILE* file) {
  if (file != nullptr) (void)std::setvbuf(file, nullptr, _IONBF, 0);
  return file;
}

#ifdef _WIN32
// Windows refuses to replace a file while another handle to it is open (MoveFileEx: access
// denied), where POSIX replaces the name and lets the reader finish with the old file. Concurrent
// runs on one file (four rotates under Wine: two failed) meet exactly that: one reads or keeps the
// file for the instant another renames over it. Those handles are closed within milliseconds, so
// the call is retried for a bounded time (antivirus scanners hold files the same way); a file held
// longer still fails, with the error of the last attempt.
template <typename Attempt>
bool retry_while_in_use(Attempt attempt, std::initializer_list<DWORD> in_use) {
  DWORD pause_ms = 1;
  for (DWORD waited_ms = 0;; waited_ms += pause_ms, pause_ms = std::min<DWORD>(pause_ms * 2, 100)) {
    if (attempt()) return true;
    const DWORD error = GetLastError();
    if (std::find(in_use.begin(), in_use.end(), error) == in_use.end() || waited_ms >= 5000) {
      errno = error == ERROR_FILE_EXISTS || error == ERROR_ALREADY_EXISTS      ? EEXIST
              : error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND ? ENOENT
                                                                               : EACCES;
      return false;
    }
    Sleep(pause_ms);
  }
}

// Every file is opened sharing read, write and delete (the C runtime's _wfopen shares no delete),
// so no handle of ours stands in the way of another run's rename or removal where Windows allows
// that while it is open; and an open that meets a rename in progress retries.
std::FILE* open_shared(const std::filesystem::path& path, DWORD access, DWORD disposition, int flags,
                       const char* mode) {
  HANDLE handle = INVALID_HANDLE_VALUE;
  if (!retry_while_in_use(
          [&] {
            handle = CreateFileW(path.c_str(), access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                 disposition, FILE_ATTRIBUTE_NORMAL, nullptr);
            return handle != INVALID_HANDLE_VALUE;
          },
          {ERROR_SHARING_VIOLATION})) {
    return nullptr;
  }
  const int fd = _open_osfhandle(reinterpret_cast<intptr_t>(handle), flags | _O_BINARY);
  if (fd < 0) {
    CloseHandle(handle);
    errno = EMFILE;
    return nullptr;
  }
  std::FILE* file = _fdopen(fd, mode);
  if (file == nullptr) _close(fd);  // closes the handle too
  return file;
}

bool identity_from_handle(HANDLE handle, FileIdentity& identity) {
  BY_HANDLE_FILE_INFORMATION info;
  if (!GetFileInformationByHandle(handle, &info)) {
    errno = EACCES;
    return false;
  }
  identity.device = info.dwVolumeSerialNumber;
  identity.file = (static_cast<std::uint64_t>(info.nFileIndexHigh) << 32) | info.nFileIndexLow;
  identity.size = (static_cast<std::uint64_t>(info.nFileSizeHigh) << 32) | info.nFileSizeLow;
  identity.modified = static_cast<std::int64_t>(
      (static_cast<std::uint64_t>(info.ftLastWriteTime.dwHighDateTime) << 32) | info.ftLastWriteTime.dwLowDateTime);
  return true;
}
#else
FileIdentity identity_from_stat(const struct stat& status) {
  FileIdentity identity;
  identity.device = static_cast<std::uint64_t>(status.st_dev);
  identity.file = static_cast<std::uint64_t>(status.st_ino);
  identity.size = static_cast<std::uint64_t>(status.st_size);
  identity.modified = static_cast<std::int64_t>(status.st_mtim.tv_sec) * 1'000'000'000 + status.st_mtim.tv_nsec;
  return identity;
}
#endif

}  // namespace

std::size_t huge_page_size() {
#if defined(MADV_HUGEPAGE)
  return std::size_t{2} << 20;  // x86-64's, and arm64's with 4 KiB pages
#else
  return 0;
#endif
}

void prefer_huge_pages(void* data, std::size_t size) {
#if defined(MADV_HUGEPAGE)
  // Only whole huge pages inside the block can be advised, and a block smaller than one is left
  // to fault in as it is used. Failures (a kernel without either advice) only leave the block as
  // malloc gave it.
  const std::uintptr_t huge = huge_page_size();
  if (size < huge) return;
  const auto start = reinterpret_cast<std::uintptr_t>(data);
  const auto first = (start + huge - 1) & ~(huge - 1);
  const auto end = (start + size) & ~(huge - 1);
  if (end > first) (void)::madvise(reinterpret_cast<void*>(first), end - first, MADV_HUGEPAGE);
#ifdef MADV_POPULATE_WRITE
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto page_start = start & ~(page - 1);
  (void)::madvise(reinterpret_cast<void*>(page_start), start + size - page_start, MADV_POPULATE_WRITE);
#endif
#else
  (void)data;
  (void)size;
#endif
}

void reserve_in_huge_pages(std::string& text, std::size_t capacity) {
  text.reserve(capacity);
  prefer_huge_pages(text.data(), text.capacity());
}

bool identity_of(const std::filesystem::path& path, FileIdentity& identity) {
#ifdef _WIN32
  const HANDLE handle = CreateFileW(path.c_str(), FILE_READ_ATTRIBUTES,
                                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                                    FILE_FLAG_BACKUP_SEMANTICS, nullptr);
  if (handle == INVALID_HANDLE_VALUE) {
    errno = ENOENT;
    return false;
  }
  const bool ok = identity_from_handle(handle, identity);
  CloseHandle(handle);
  return ok;
#else
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) return false;
  identity = identity_from_stat(status);
  return true;
#endif
}

#ifdef PTVSD_FAULT_INJECTION
void fail_at(std::string_view spec) { planned_faults() = faults_from(spec); }
#endif

std::filesystem::directory_iterator open_folder(const std::filesystem::path& path, std::error_code& error) {
  // Both counted on every call, so that each step's nth means the same alone or with the other.
  const bool gone = fault("list-gone", ENOENT);
  if (fault("list", EACCES) || gone) {
    error.assign(errno, std::generic_category());
    return {};
  }
  return std::filesystem::directory_iterator(path, error);
}

bool OutputFile::create_new(const std::filesystem::path& path, std::filesystem::perms mode) {
  if (fault("create", EACCES)) return false;
#ifdef _WIN32
  (void)mode;  // Windows has no mode bits beyond read-only; the folder's ACL applies
  file_ = unbuffered(open_shared(path, GENERIC_WRITE, CREATE_NEW, _O_WRONLY, "wb"));
  return file_ != nullptr;
#else
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) return false;
  const auto bits = static_cast<mode_t>(mode & std::filesystem::perms::mask);
  if (fault("mode", EPERM) || ::fchmod(fd, bits) != 0 || (file_ = unbuffered(::fdopen(fd, "wb"))) == nullptr) {
    const int error = errno;
    ::close(fd);
    ::unlink(path.c_str());
    errno = error;
    return false;
  }
  return true;
#endif
}

bool OutputFile::copy_owner(const std::filesystem::path& existing) {
  if (fault("owner", EPERM)) return false;
#ifdef _WIN32
  (void)existing;
  return true;
#else
  struct stat old {};
  struct stat created {};
  const int fd = fileno(file_);
  if (::stat(existing.c_str(), &old) != 0 || ::fstat(fd, &created) != 0) return false;
  if (old.st_uid == created.st_uid && old.st_gid == created.st_gid) return true;
  if (::fchown(fd, old.st_uid, old.st_gid) == 0) return true;
  const int error = errno;
  (void)::fchown(fd, static_cast<uid_t>(-1), old.st_gid);  // the group alone, where it is ours
  errno = error;
  return false;
#endif
}

bool OutputFile::write(std::string_view data) {
  if (fault("write", ENOSPC)) return false;
  if (fault("short-write", ENOSPC)) {
    (void)std::fwrite(data.data(), 1, data.size() / 2, file_);
    errno = ENOSPC;
    return false;
  }
  return std::fwrite(data.data(), 1, data.size(), file_) == data.size();
}

bool OutputFile::flush_to_disk() {
  if (fault("flush", EIO)) return false;
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
  return !fault("close", EIO) && ok;
}

OutputFile::~OutputFile() {
  if (file_ != nullptr) std::fclose(file_);
}

bool InputFile::open(const std::filesystem::path& path) {
  if (fault("open", EACCES)) return false;
#ifdef _WIN32
  file_ = unbuffered(open_shared(path, GENERIC_READ, OPEN_EXISTING, _O_RDONLY, "rb"));
#else
  file_ = unbuffered(std::fopen(path.c_str(), "rb"));
#endif
  return file_ != nullptr;
}

bool InputFile::identity(FileIdentity& identity) const {
  if (fault("stat", EIO)) return false;
#ifdef _WIN32
  return identity_from_handle(reinterpret_cast<HANDLE>(_get_osfhandle(_fileno(file_))), identity);
#else
  struct stat status {};
  if (::fstat(fileno(file_), &status) != 0) return false;
  identity = identity_from_stat(status);
  return true;
#endif
}

bool InputFile::mode(std::filesystem::perms& mode) const {
  if (fault("stat", EIO)) return false;
  using std::filesystem::perms;
#ifdef _WIN32
  BY_HANDLE_FILE_INFORMATION info;
  if (!GetFileInformationByHandle(reinterpret_cast<HANDLE>(_get_osfhandle(_fileno(file_))), &info)) {
    errno = EACCES;
    return false;
  }
  const auto read_only = perms::owner_read | perms::group_read | perms::others_read;
  mode = (info.dwFileAttributes & FILE_ATTRIBUTE_READONLY) != 0
             ? read_only
             : read_only | perms::owner_write | perms::group_write | perms::others_write;
#else
  struct stat status {};
  if (::fstat(fileno(file_), &status) != 0) return false;
  mode = static_cast<perms>(status.st_mode) & perms::mask;
#endif
  return true;
}

bool InputFile::read(char* buffer, std::size_t size, std::size_t& count) {
  if (fault("read", EIO)) return false;
  count = std::fread(buffer, 1, size, file_);
  return std::ferror(file_) == 0;
}

InputFile::~InputFile() {
  if (file_ != nullptr) std::fclose(file_);
}

bool flush_existing_file(const std::filesystem::path& path) {
  if (fault("flush", EIO)) return false;
#ifdef _WIN32
  const HANDLE handle = CreateFileW(path.c_str(), GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                    nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (handle == INVALID_HANDLE_VALUE) {
    errno = EACCES;
    return false;
  }
  const bool flushed = FlushFileBuffers(handle) != 0;
  CloseHandle(handle);
  if (!flushed) errno = EIO;
  return flushed;
#else
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool flushed = fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  errno = error;
  return flushed;
#endif
}

bool replace_file(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (fault("rename", EACCES)) return false;
#ifdef _WIN32
  return retry_while_in_use(
      [&] { return MoveFileExW(from.c_str(), to.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH) != 0; },
      {ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION});
#else
  return std::rename(from.c_str(), to.c_str()) == 0;
#endif
}

bool rename_new(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (fault("rename", EACCES)) return false;
#ifdef _WIN32
  if (MoveFileExW(from.c_str(), to.c_str(), MOVEFILE_WRITE_THROUGH)) return true;
  errno = GetLastError() == ERROR_ALREADY_EXISTS || GetLastError() == ERROR_FILE_EXISTS ? EEXIST : EACCES;
  return false;
#else
#ifdef RENAME_NOREPLACE
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno != EINVAL && errno != ENOSYS) return false;
#endif
  // Without renameat2 (or a file system that lacks it): link() also refuses an existing name.
  if (::link(from.c_str(), to.c_str()) != 0) return false;
  (void)::unlink(from.c_str());  // a leftover second name is swept as an abandoned temp file
  return true;
#endif
}

bool remove_file(const std::filesystem::path& path) {
  if (fault("remove", EACCES)) return false;
#ifdef _WIN32
  return _wremove(path.c_str()) == 0;
#else
  return ::unlink(path.c_str()) == 0;
#endif
}

bool create_folder(const std::filesystem::path& path, std::error_code& error) {
  if (fault("mkdir", EACCES)) {
    error = std::make_error_code(std::errc::permission_denied);
    return false;
  }
#ifdef _WIN32
  return std::filesystem::create_directory(path, error);
#else
  error.clear();
  if (::mkdir(path.c_str(), 0755) == 0) return true;
  const int cause = errno;
  if (cause == EEXIST && std::filesystem::is_directory(path, error)) return false;
  error = std::error_code(cause, std::generic_category());
  return false;
#endif
}

bool keep_copy(const std::filesystem::path& existing, const std::filesystem::path& copy) {
  std::error_code error;
  if (!fault("link", EPERM)) {
    std::filesystem::create_hard_link(existing, copy, error);
    if (!error) return true;
  }
  if (fault("copy", EIO)) return false;
  if (std::filesystem::copy_file(existing, copy, error)) return true;
  std::error_code ignored;
  std::filesystem::remove(copy, ignored);  // a partial copy; the random name is ours alone
  errno = error.value();
  return false;
}

int current_process_id() {
#ifdef _WIN32
  return static_cast<int>(GetCurrentProcessId());
#else
  return static_cast<int>(::getpid());
#endif
}

bool process_is_running(int id) {
#ifdef _WIN32
  const HANDLE process = OpenProcess(SYNCHRONIZE, FALSE, static_cast<DWORD>(id));
  if (process == nullptr) return GetLastError() == ERROR_ACCESS_DENIED;
  const bool running = WaitForSingleObject(process, 0) == WAIT_TIMEOUT;
  CloseHandle(process);
  return running;
#else
  return id > 0 && (::kill(static_cast<pid_t>(id), 0) == 0 || errno == EPERM);
#endif
}

void sync_directory(const std::filesystem::path& directory) {
#ifndef _WIN32
  const auto path = directory.empty() ? std::filesystem::path(".") : directory;
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    (void)fsync(fd);
    ::close(fd);
  }
#else
  (void)directory;
#endif
}

bool FileLock::open(const std::filesystem::path& path, bool& not_regular) {
  not_regular = false;
  if (fault("lock", EACCES)) return false;
#ifdef _WIN32
  const HANDLE handle = CreateFileW(path.c_str(), GENERIC_READ | GENERIC_WRITE,
                                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_ALWAYS,
                                    FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
  if (handle == INVALID_HANDLE_VALUE) {
    errno = EACCES;
    return false;
  }
  BY_HANDLE_FILE_INFORMATION info;
  not_regular = GetFileType(handle) != FILE_TYPE_DISK || !GetFileInformationByHandle(handle, &info) ||
                (info.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)) != 0;
  const int fd = not_regular ? -1 : _open_osfhandle(reinterpret_cast<intptr_t>(handle), _O_RDWR);
  if (fd < 0) {
    CloseHandle(handle);
    errno = EACCES;
    return false;
  }
  file_ = _fdopen(fd, "r+b");
  if (file_ == nullptr) _close(fd);
  return file_ != nullptr;
#else
  const int fd =
      ::open(path.c_str(), O_RDONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) {
    not_regular = errno == ELOOP;  // O_NOFOLLOW met a link
    return false;
  }
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode) || (file_ = ::fdopen(fd, "rb")) == nullptr) {
    const int error = errno;
    not_regular = !S_ISREG(status.st_mode);
    ::close(fd);
    errno = error;
    return false;
  }
  return true;
#endif
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

std::optional<std::string> environment_variable(const char* name) {
#if defined(_MSC_VER)
  char* value = nullptr;
  std::size_t size = 0;
  if (_dupenv_s(&value, &size, name) != 0 || value == nullptr) return std::nullopt;
  std::string copy(value);
  std::free(value);
  return copy;
#else
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read before any thread
  if (value == nullptr) return std::nullopt;
  return std::string(value);
#endif
}

}  // namespace ptvsd::platform
