#include "core/platform.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

#ifdef _WIN32
#include <io.h>
#include <sys/locking.h>
#include <windows.h>
#else
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
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
  static std::vector<Fault> faults = [] {
    const char* spec = std::getenv("PTVSD_FAULT");
    return faults_from(spec == nullptr ? "" : spec);
  }();
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

}  // namespace

#ifdef PTVSD_FAULT_INJECTION
void fail_at(std::string_view spec) { planned_faults() = faults_from(spec); }
#endif

bool OutputFile::create_new(const std::filesystem::path& path, std::filesystem::perms mode) {
  if (fault("create", EACCES)) return false;
#ifdef _WIN32
  (void)mode;  // Windows has no mode bits beyond read-only; the folder's ACL applies
  file_ = unbuffered(_wfopen(path.c_str(), L"wbx"));  // without FILE_SHARE_DELETE: in use until closed
  return file_ != nullptr;
#else
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) return false;
  const auto bits = static_cast<mode_t>(mode & std::filesystem::perms::mask);
  if (fault("mode", EPERM) || ::fchmod(fd, bits) != 0 ||
      (file_ = unbuffered(::fdopen(fd, "wb"))) == nullptr) {
    const int error = errno;
    ::close(fd);
    ::unlink(path.c_str());
    errno = error;
    return false;
  }
  return true;
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
  file_ = unbuffered(_wfopen(path.c_str(), L"rb"));
#else
  file_ = unbuffered(std::fopen(path.c_str(), "rb"));
#endif
  return file_ != nullptr;
}

bool InputFile::read(char* buffer, std::size_t size, std::size_t& count) {
  if (fault("read", EIO)) return false;
  count = std::fread(buffer, 1, size, file_);
  return std::ferror(file_) == 0;
}

InputFile::~InputFile() {
  if (file_ != nullptr) std::fclose(file_);
}

bool replace_file(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (fault("rename", EACCES)) return false;
#ifdef _WIN32
  if (MoveFileExW(from.c_str(), to.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) return true;
  errno = EACCES;
  return false;
#else
  return std::rename(from.c_str(), to.c_str()) == 0;
#endif
}

bool create_folder(const std::filesystem::path& path, std::error_code& error) {
  if (fault("mkdir", EACCES)) {
    error = std::make_error_code(std::errc::permission_denied);
    return false;
  }
  return std::filesystem::create_directory(path, error);
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
  if (fault("lock", EACCES)) return false;
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
