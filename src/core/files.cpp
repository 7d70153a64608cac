#include "core/files.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <thread>

#include <sodium.h>

#include "core/diagnostics.h"

namespace ptvsd::files {

namespace {

Error io_error(Code code, const fs::path& path, const std::string& message) {
  return Error(code, {path.string(), 0, 0}, message);
}

fs::path temp_path_beside(const fs::path& target) {
  unsigned char random[6];
  randombytes_buf(random, sizeof random);
  char hex[sizeof random * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, random, sizeof random);
  return target.parent_path() / ("." + target.filename().string() + ".ptvsd-" + hex + ".tmp");
}

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string seconds_text(std::chrono::milliseconds duration) {
  auto text = std::to_string(static_cast<double>(duration.count()) / 1000);
  text.erase(text.find_last_not_of('0') + 1);  // "0.500000" -> "0.5", "60.000000" -> "60."
  if (text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

std::string read(const fs::path& path) {
  std::error_code error;
  const auto status = fs::status(path, error);
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    throw io_error(Code::not_a_file, path, "not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io_error(Code::read_failed, path, "cannot open: " + platform::last_error());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw io_error(Code::read_failed, path, "cannot read: " + platform::last_error());
  return text;
}

fs::path replacement_target(const fs::path& path) {
  std::error_code error;
  if (!fs::is_symlink(fs::symlink_status(path, error))) return path;
  auto target = fs::canonical(path, error);
  if (error) {
    throw io_error(Code::read_failed, path, "cannot follow the symbolic link: " + error.message());
  }
  return target;
}

AtomicFile::AtomicFile(const fs::path& target, fs::perms new_file_mode)
    : target_(replacement_target(target)), temp_(temp_path_beside(target_)) {
  std::error_code error;
  const auto status = fs::status(target_, error);
  const bool exists = fs::exists(status);
  if (exists && !fs::is_regular_file(status)) {
    throw io_error(Code::not_a_file, target_, "not a regular file");
  }
  if (exists && (status.permissions() & fs::perms::owner_write) == fs::perms::none) {
    throw io_error(Code::write_failed, target_, "the file is read-only; make it writable to update it");
  }
  if (!out_.create_new(temp_)) {
    throw io_error(Code::write_failed, target_,
                   "cannot create a temp file in its folder: " + platform::last_error());
  }
  written_ = true;
  // Set before any byte is written, so a secret is never readable by others, even briefly.
  fs::permissions(temp_, exists ? status.permissions() : new_file_mode, error);
}

AtomicFile::~AtomicFile() {
  if (written_ && !committed_) {
    if (!finished_) (void)out_.close();
    std::error_code ignored;
    fs::remove(temp_, ignored);
  }
}

void AtomicFile::write(std::string_view data) {
  if (!out_.write(data)) {
    throw io_error(Code::write_failed, target_, "cannot write the temp file: " + platform::last_error());
  }
}

void AtomicFile::finish_writing() {
  if (finished_) return;
  finished_ = true;
  if (!out_.flush_to_disk() || !out_.close()) {
    throw io_error(Code::write_failed, target_,
                   "cannot flush the temp file to disk: " + platform::last_error());
  }
}

void AtomicFile::commit() {
  finish_writing();
  std::error_code error;
  fs::rename(temp_, target_, error);
  if (error) {
    throw io_error(Code::write_failed, target_, "cannot replace the file: " + error.message());
  }
  committed_ = true;
  platform::sync_directory(target_.parent_path());
}

void replace_all(const std::vector<Replacement>& replacements) {
  std::vector<std::unique_ptr<AtomicFile>> staged;
  staged.reserve(replacements.size());
  for (const auto& replacement : replacements) {
    staged.push_back(std::make_unique<AtomicFile>(replacement.path, replacement.new_file_mode));
    staged.back()->write(replacement.contents);
    staged.back()->finish_writing();
  }
  for (std::size_t i = 0; i < staged.size(); ++i) {
    try {
      staged[i]->commit();
    } catch (const Error&) {
      for (std::size_t done = 0; done < i; ++done) {
        const auto& original = replacements[done].original;
        std::error_code ignored;
        if (!original) {
          fs::remove(staged[done]->target(), ignored);
          continue;
        }
        AtomicFile restore(staged[done]->target());
        restore.write(*original);
        restore.commit();
      }
      throw;
    }
  }
}

ProjectLock::ProjectLock(const fs::path& lock_file, std::chrono::milliseconds timeout,
                         const std::function<void()>& on_wait) {
  if (!lock_.open(lock_file)) {
    throw io_error(Code::write_failed, lock_file, "cannot open the lock file: " + platform::last_error());
  }
  if (lock_.try_lock()) return;
  if (on_wait) on_wait();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!lock_.try_lock()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      throw io_error(Code::lock_timeout, lock_file,
                     "another ptvsd-publish run holds this project's lock; gave up after " +
                         seconds_text(timeout) + " s (--lock-timeout)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::optional<fs::path> find_case_insensitive(const fs::path& directory, std::string_view name) {
  std::error_code error;
  if (fs::exists(fs::symlink_status(directory / name, error))) return directory / name;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    if (equal_ignoring_ascii_case(entry.path().filename().string(), name)) return entry.path();
  }
  return std::nullopt;
}

fs::path templates_directory() {
  return platform::executable_path().parent_path().parent_path() / PTVSD_TEMPLATES_SUBDIR;
}

}  // namespace ptvsd::files
