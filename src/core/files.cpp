#include "core/files.h"

#include <algorithm>
#include <map>
#include <set>
#include <thread>
#include <utility>

#include <sodium.h>

#include "core/ascii.h"
#include "core/diagnostics.h"

namespace ptvsd::files {

namespace {

Error io_error(Code code, const fs::path& path, const std::string& message) {
  return Error(code, {path.string(), 0, 0}, message);
}

constexpr std::string_view temp_suffix = ".tmp";

std::string temp_prefix(const fs::path& target) { return "." + target.filename().string() + ".ptvsd-"; }

// `.<name>.ptvsd-<writer's process id>-<random hex>.tmp`: the id tells a later run whether the
// writer still runs, so the temp files of killed runs can be removed and no other.
fs::path temp_path_beside(const fs::path& target) {
  unsigned char random[6];
  randombytes_buf(random, sizeof random);
  char hex[sizeof random * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, random, sizeof random);
  return target.parent_path() /
         (temp_prefix(target) + std::to_string(platform::current_process_id()) + "-" + hex + std::string(temp_suffix));
}

// The writer's process id in a temp file's name, or nullopt when the name is not one of ours.
std::optional<int> temp_file_writer(std::string_view name, std::string_view prefix) {
  if (name.size() <= prefix.size() + temp_suffix.size() || name.substr(0, prefix.size()) != prefix ||
      name.substr(name.size() - temp_suffix.size()) != temp_suffix) {
    return std::nullopt;
  }
  const auto middle = name.substr(prefix.size(), name.size() - prefix.size() - temp_suffix.size());
  const auto dash = middle.find('-');
  if (dash == 0 || dash == std::string_view::npos || dash > 9 || middle.find_first_not_of("0123456789") != dash ||
      middle.find_first_not_of("0123456789abcdef", dash + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  return std::stoi(std::string(middle.substr(0, dash)));
}

// The mode a replacement gets: the existing file's, or `new_file_mode` for a new one. Refuses what
// must not be replaced.
fs::perms mode_for(const fs::path& target, fs::perms new_file_mode) {
  std::error_code error;
  const auto status = fs::status(target, error);
  if (!fs::exists(status)) return new_file_mode;
  if (!fs::is_regular_file(status)) throw io_error(Code::not_a_file, target, "not a regular file");
  if ((status.permissions() & fs::perms::owner_write) == fs::perms::none) {
    throw io_error(Code::write_failed, target, "the file is read-only; make it writable to update it");
  }
  return status.permissions();
}

// Removes, in one pass over `folder`, the regular files named like temp files of one of the
// `prefixes` (temp_prefix of a target) whose writer no longer runs. One pass per folder, not per
// file: rotating a thousand files in one folder must not read the folder a thousand times.
int sweep_abandoned_temp_files(const fs::path& folder, const std::set<std::string>& prefixes) {
  constexpr std::string_view marker = ".ptvsd-";
  int removed = 0;
  const auto sweep = [&](const fs::directory_entry& entry) {
    const auto name = entry.path().filename().string();
    const auto end_of_prefix = name.rfind(marker);
    if (end_of_prefix == std::string::npos) return;
    const auto prefix = name.substr(0, end_of_prefix + marker.size());
    if (prefixes.count(prefix) == 0) return;
    const auto writer = temp_file_writer(name, prefix);
    std::error_code ignored;
    if (writer && !platform::process_is_running(*writer) && entry.is_regular_file(ignored) &&
        !entry.is_symlink(ignored)) {
      removed += fs::remove(entry.path(), ignored) ? 1 : 0;
    }
  };
  try {
    for_each_entry(folder, sweep);
  } catch (const Error&) {
    // Best effort: a folder that cannot be listed keeps its leftovers, and the write that follows
    // reports the real problem.
  }
  return removed;
}

}  // namespace

namespace {

constexpr std::size_t chunk_size = 64 * 1024;

// A file read through one reused buffer, wiped when done (the file may hold a secret).
class ChunkedFile {
 public:
  // How a failure to open or read is reported: its code, the file it names, the message's start.
  struct Failure {
    Code code;
    fs::path reported;
    std::string message;
  };

  ChunkedFile(const fs::path& path, Failure failure) : path_(path), failure_(std::move(failure)) {
    if (!in_.open(path)) fail();
  }
  // A version of a file, checked to be that version before any byte is read.
  explicit ChunkedFile(const FileVersion& version)
      : ChunkedFile(version.path, {Code::read_failed, version.path, "cannot read: "}) {
    require(version.identity);
  }
  ChunkedFile(const ChunkedFile&) = delete;
  ChunkedFile& operator=(const ChunkedFile&) = delete;
  ~ChunkedFile() { sodium_memzero(buffer_.data(), buffer_.size()); }

  // The next bytes, at most `at_most` and at most the buffer, which the first call sizes (up to
  // chunk_size): a small config compared with its read-back costs no 64 KiB to fill and wipe, over
  // a thousand files in one rotate. Empty at the end.
  std::string_view next(std::size_t at_most) {
    if (buffer_.empty()) buffer_.resize(std::clamp<std::size_t>(at_most, 1, chunk_size));
    std::size_t count = 0;
    if (!in_.read(buffer_.data(), std::min(at_most, buffer_.size()), count)) fail();
    return {buffer_.data(), count};
  }

  FileVersion version() const {
    FileVersion version{path_, {}, fs::perms::none};
    if (!in_.identity(version.identity) || !in_.mode(version.mode)) fail();
    return version;
  }

  // Checked on the open file before the first byte and after the last: the bytes read are those of
  // `identity`, not of a file rebuilt, replaced or written to since it was looked at.
  void require(const platform::FileIdentity& identity) const {
    platform::FileIdentity now;
    if (!in_.identity(now)) fail();
    if (now != identity) {
      throw io_error(Code::changed_meanwhile, path_,
                     "the file changed during the run (rebuilt, replaced or written to); nothing was replaced: "
                     "run again");
    }
  }

 private:
  [[noreturn]] void fail() const {
    throw io_error(failure_.code, failure_.reported, failure_.message + platform::last_error());
  }

  fs::path path_;
  Failure failure_;
  platform::InputFile in_;
  std::string buffer_;
};

// Bytes in memory, handed out as ChunkedFile hands out a file's: no copy.
struct MemoryChunks {
  std::string_view rest;
  std::string_view next(std::size_t at_most) {
    const auto chunk = rest.substr(0, at_most);
    rest.remove_prefix(chunk.size());
    return chunk;
  }
};

// Whether `a` and `b` hand out the same bytes to their ends.
template <typename A, typename B>
bool same_bytes(A& a, B& b) {
  for (auto chunk = a.next(chunk_size); !chunk.empty(); chunk = a.next(chunk_size)) {
    while (!chunk.empty()) {
      const auto other = b.next(chunk.size());
      if (other.empty() || chunk.substr(0, other.size()) != other) return false;
      chunk.remove_prefix(other.size());
    }
  }
  return b.next(1).empty();
}

void require_regular_file(const fs::path& path) {
  std::error_code error;
  const auto status = fs::status(path, error);
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    throw io_error(Code::not_a_file, path, "not a regular file");
  }
}

std::string read_file(const fs::path& path, platform::FileIdentity* identity, fs::perms* mode) {
  require_regular_file(path);
  platform::InputFile in;
  if (!in.open(path)) throw io_error(Code::read_failed, path, "cannot open: " + platform::last_error());
  if ((identity != nullptr && !in.identity(*identity)) || (mode != nullptr && !in.mode(*mode))) {
    throw io_error(Code::read_failed, path, "cannot read: " + platform::last_error());
  }
  // Sized once, one byte beyond the file: a growing buffer would leave unwiped copies of a secret
  // in freed memory, and a read that fills the spare byte means the file changed meanwhile.
  std::error_code error;
  const auto size = fs::file_size(path, error);
  if (error) throw io_error(Code::read_failed, path, "cannot read: " + error.message());
  std::string text;
  platform::reserve_in_huge_pages(text, size + 1);
  text.resize(size + 1);
  std::size_t count = 0;
  const bool ok = in.read(text.data(), text.size(), count);
  if (!ok || count == text.size()) {
    const auto cause = ok ? std::string("it grew while being read; try again") : platform::last_error();
    sodium_memzero(text.data(), text.size());
    throw io_error(Code::read_failed, path, "cannot read: " + cause);
  }
  text.resize(count);
  return text;
}

}  // namespace

std::string read(const fs::path& path, platform::FileIdentity* identity) { return read_file(path, identity, nullptr); }

Contents read_contents(const fs::path& path) {
  Contents contents;
  contents.bytes = SensitiveString(read_file(path, &contents.identity, &contents.mode));
  return contents;
}

std::optional<Contents> read_if_exists(const fs::path& path) {
  if (!files::exists(path)) return std::nullopt;
  return read_contents(path);
}

FileVersion read_in_chunks(const fs::path& path, const std::function<bool(std::string_view chunk)>& each) {
  require_regular_file(path);
  ChunkedFile file(path, {Code::read_failed, path, "cannot read: "});
  auto version = file.version();
  for (auto chunk = file.next(chunk_size); !chunk.empty() && each(chunk); chunk = file.next(chunk_size)) {
  }
  file.require(version.identity);
  return version;
}

namespace {

// Whether `file` hands out exactly `bytes`; a version of a file must stay that version throughout.
// The expected bytes lead, so the file's buffer is no larger than they need.
bool holds(ChunkedFile& file, const Bytes& bytes) {
  if (const auto* version = std::get_if<FileVersion>(&bytes)) {
    ChunkedFile source(*version);
    const bool same = same_bytes(source, file);
    source.require(version->identity);
    return same;
  }
  MemoryChunks memory{std::get<std::string_view>(bytes)};
  return same_bytes(memory, file);
}

}  // namespace

bool already_holds(const fs::path& path, const Bytes& bytes) {
  if (kind_of(path) != Kind::file) return false;
  ChunkedFile file(path, {Code::read_failed, path, "cannot read: "});
  return holds(file, bytes);
}

namespace {

// After the renames, or for files left as they are: each folder once, its entries made durable and
// its abandoned temp files of these targets removed (a killed run's, which a later run that
// replaces nothing there would otherwise leave for good).
void sync_and_sweep_folders(const std::vector<fs::path>& targets) {
  std::map<fs::path, std::set<std::string>> prefixes_by_folder;
  for (const auto& target : targets) prefixes_by_folder[target.parent_path()].insert(temp_prefix(target));
  for (const auto& [folder, prefixes] : prefixes_by_folder) {
    platform::sync_directory(folder);
    (void)sweep_abandoned_temp_files(folder, prefixes);
  }
}

}  // namespace

void make_durable(const std::vector<fs::path>& paths) {
  std::vector<fs::path> targets;
  targets.reserve(paths.size());
  for (const auto& path : paths) {
    if (!platform::flush_existing_file(path)) {
      throw io_error(Code::write_failed, path, "cannot flush the file to disk: " + platform::last_error());
    }
    targets.push_back(replacement_target(path));
  }
  sync_and_sweep_folders(targets);
}

Kind kind_of(const fs::path& path) {
  std::error_code error;
  const auto status = fs::status(path, error);
  if (fs::is_regular_file(status)) return Kind::file;
  if (fs::is_directory(status)) return Kind::folder;
  return fs::exists(status) ? Kind::other : Kind::absent;
}

bool exists(const fs::path& path) { return kind_of(path) != Kind::absent; }

bool name_taken(const fs::path& path) {
  std::error_code error;
  return fs::exists(fs::symlink_status(path, error));
}

std::vector<std::string> names_in(const fs::path& folder) {
  std::vector<std::string> names;
  std::error_code error;
  for (fs::directory_iterator entry(folder, error), end; !error && entry != end; entry.increment(error)) {
    names.push_back(entry->path().filename().string());
  }
  return names;
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

int remove_abandoned_temp_files(const fs::path& target) {
  return sweep_abandoned_temp_files(target.parent_path(), {temp_prefix(target)});
}

AtomicFile::AtomicFile(const fs::path& target, fs::perms new_file_mode, bool must_be_new)
    : target_(must_be_new ? target : replacement_target(target)),
      temp_(temp_path_beside(target_)),
      must_be_new_(must_be_new) {
  // The mode is set as the file is created, before any byte is written, so a secret is never
  // readable by others, even briefly.
  const auto mode = must_be_new ? new_file_mode : mode_for(target_, new_file_mode);
  if (!out_.create_new(temp_, mode)) {
    throw io_error(Code::write_failed, target_, "cannot create a temp file in its folder: " + platform::last_error());
  }
  written_ = true;
  std::error_code error;
  if (!must_be_new && fs::exists(target_, error) && !out_.copy_owner(target_)) {
    owner_not_kept_ = platform::last_error();
  }
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
    throw io_error(Code::write_failed, target_, "cannot flush the temp file to disk: " + platform::last_error());
  }
}

void AtomicFile::copy(const FileVersion& source) {
  ChunkedFile from(source);
  for (auto chunk = from.next(chunk_size); !chunk.empty(); chunk = from.next(chunk_size)) write(chunk);
  from.require(source.identity);
}

void AtomicFile::verify(const Bytes& expected) const {
  ChunkedFile temp(temp_, {Code::write_failed, target_, "cannot read the temp file back: "});
  if (!holds(temp, expected)) {
    throw io_error(Code::write_failed, target_,
                   "the temp file read back differs from what was written (a disk or file system fault)");
  }
}

void AtomicFile::rename_into_place() {
  finish_writing();
  if (must_be_new_ && !platform::rename_new(temp_, target_)) {
    const bool taken = errno == EEXIST;
    throw io_error(Code::write_failed, target_,
                   taken ? "must be a new file, and something (a file or a link) took this name during "
                           "the run; nothing was written to it"
                         : "cannot create the file: " + platform::last_error());
  }
  if (!must_be_new_ && !platform::replace_file(temp_, target_)) {
    throw io_error(Code::write_failed, target_, "cannot replace the file: " + platform::last_error());
  }
  committed_ = true;
}

void AtomicFile::commit() {
  rename_into_place();
  platform::sync_directory(target_.parent_path());
  (void)remove_abandoned_temp_files(target_);
}

namespace {

// An existing target kept under a temp name until every file of a replace_all is renamed, so
// that undoing is one rename. A killed run leaves it as an abandoned temp file for the next
// run's sweep.
class KeptOriginal {
 public:
  // A file that must be new has nothing to keep: its rename fails if anything has its name.
  KeptOriginal(const fs::path& target, bool must_be_new) : target_(target) {
    std::error_code error;
    if (must_be_new || !fs::exists(fs::symlink_status(target_, error))) return;
    const auto kept = temp_path_beside(target_);
    if (!platform::keep_copy(target_, kept)) {
      throw io_error(Code::write_failed, target_,
                     "cannot keep the old file while replacing it: " + platform::last_error());
    }
    kept_ = kept;
  }
  KeptOriginal(KeptOriginal&& other) noexcept
      : target_(std::move(other.target_)), kept_(std::exchange(other.kept_, std::nullopt)) {}
  KeptOriginal(const KeptOriginal&) = delete;
  KeptOriginal& operator=(const KeptOriginal&) = delete;
  ~KeptOriginal() {
    std::error_code ignored;
    if (kept_) fs::remove(*kept_, ignored);
  }

  // Puts the old file back (or removes the new one when there was none). Returns "" or, when that
  // fails, " <path> (<cause>)" for the message: the caller goes on with the other files.
  std::string put_back() {
    std::error_code error;
    if (!kept_) {
      fs::remove(target_, error);
      return error ? " " + target_.string() + " (" + error.message() + ")" : "";
    }
    if (!platform::replace_file(*kept_, target_)) {
      return " " + target_.string() + " (" + platform::last_error() + ")";
    }
    kept_.reset();
    return "";
  }

  // After success: removes the kept old version. One that cannot be removed holds the previous
  // contents, the old secret included, so it is named in a warning rather than left silently.
  std::optional<Error> discard() {
    if (!kept_) return std::nullopt;
    const auto kept = *std::exchange(kept_, std::nullopt);
    if (platform::remove_file(kept)) return std::nullopt;
    return io_error(Code::kept_file_left, kept,
                    "cannot remove the previous version of " + target_.string() + ", kept while replacing it (" +
                        platform::last_error() +
                        "); it holds the old contents, the old secret included: remove it (the "
                        "next run of the tool removes it too)");
  }

 private:
  fs::path target_;
  std::optional<fs::path> kept_;
};

std::vector<std::unique_ptr<AtomicFile>> stage(const std::vector<Replacement>& replacements) {
  std::vector<std::unique_ptr<AtomicFile>> staged;
  staged.reserve(replacements.size());
  for (const auto& replacement : replacements) {
    staged.push_back(
        std::make_unique<AtomicFile>(replacement.path, replacement.new_file_mode, replacement.must_be_new));
    if (const auto* source = std::get_if<FileVersion>(&replacement.contents)) {
      staged.back()->copy(*source);
    } else {
      staged.back()->write(std::get<std::string_view>(replacement.contents));
    }
    staged.back()->finish_writing();
    staged.back()->verify(replacement.contents);
  }
  return staged;
}

// Just before a rename: the file must still be the version the new contents were made from.
void require_unchanged(const Replacement& replacement, const fs::path& target) {
  if (!replacement.unchanged_since) return;
  platform::FileIdentity now;
  if (!platform::identity_of(target, now) || now != *replacement.unchanged_since) {
    throw io_error(Code::changed_meanwhile, target,
                   "the file changed while this run was working on it (edited or replaced by "
                   "someone else); nothing was replaced, so that change is kept: run again");
  }
}

}  // namespace

std::vector<Error> replace_all(const std::vector<Replacement>& replacements) {
  const auto staged = stage(replacements);
  std::vector<KeptOriginal> originals;
  std::vector<fs::path> targets;
  originals.reserve(staged.size());
  targets.reserve(staged.size());
  for (std::size_t i = 0; i < staged.size(); ++i) {
    originals.emplace_back(staged[i]->target(), replacements[i].must_be_new);
    targets.push_back(staged[i]->target());
  }
  for (std::size_t i = 0; i < staged.size(); ++i) {
    try {
      require_unchanged(replacements[i], staged[i]->target());
      staged[i]->rename_into_place();
    } catch (const Error& error) {
      std::string not_restored;
      for (std::size_t done = 0; done < i; ++done) not_restored += originals[done].put_back();
      sync_and_sweep_folders(targets);
      if (not_restored.empty()) throw;
      throw Error(error.code(), error.where(), error.what() + std::string("; could not put back") + not_restored);
    }
  }
  sync_and_sweep_folders(targets);
  std::vector<Error> warnings;
  for (const auto& file : staged) {
    if (!file->owner_not_kept().empty()) {
      warnings.push_back(io_error(Code::owner_not_kept, file->target(),
                                  "cannot keep the file's owner and group (" + file->owner_not_kept() +
                                      "); it now belongs to the user who ran the tool"));
    }
  }
  for (auto& original : originals) {
    if (auto warning = original.discard()) warnings.push_back(std::move(*warning));
  }
  return warnings;
}

NewFolder::NewFolder(const fs::path& folder) {
  std::error_code error;
  std::vector<fs::path> missing;
  for (auto path = folder; !path.empty() && !fs::exists(path, error); path = path.parent_path()) {
    missing.push_back(path);
    if (path == path.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (!platform::create_folder(*it, error) && error) {
      remove_created();  // a throwing constructor runs no destructor
      throw io_error(Code::write_failed, *it, "cannot create the folder: " + error.message());
    }
    // The new folder's name is an entry of its parent: without this a power cut can lose the
    // folder, and the files later renamed into it, however well each file was flushed.
    platform::sync_directory(it->parent_path());
    created_.insert(created_.begin(), *it);
  }
}

NewFolder::~NewFolder() { remove_created(); }

void NewFolder::remove_created() {
  std::error_code ignored;
  for (const auto& folder : created_) fs::remove(folder, ignored);  // only empty ones go
  created_.clear();
}

ProjectLock::ProjectLock(const fs::path& lock_file, std::chrono::milliseconds timeout,
                         const std::function<void()>& on_wait) {
  bool not_regular = false;
  if (!lock_.open(lock_file, not_regular)) {
    if (not_regular) {
      throw io_error(Code::not_a_file, lock_file,
                     "the lock file is not a regular file (a link, FIFO or device is never followed "
                     "or opened); remove it");
    }
    throw io_error(Code::write_failed, lock_file, "cannot open the lock file: " + platform::last_error());
  }
  if (lock_.try_lock()) return;
  if (on_wait) on_wait();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!lock_.try_lock()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      throw io_error(Code::lock_timeout, lock_file,
                     "another ptvsd-publish run holds this folder's lock; gave up after " + seconds_text(timeout) +
                         " s (--lock-timeout)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::vector<fs::path> folders_to_lock(const std::vector<std::string>& files) {
  std::vector<fs::path> folders;
  folders.reserve(files.size());
  for (const auto& file : files) {
    std::error_code error;
    const auto target = fs::absolute(replacement_target(file), error);
    const auto folder = fs::weakly_canonical(target.parent_path(), error);
    folders.push_back(error ? target.parent_path() : folder);
  }
  std::sort(folders.begin(), folders.end());
  folders.erase(std::unique(folders.begin(), folders.end()), folders.end());
  return folders;
}

void for_each_entry(const fs::path& folder, const std::function<void(const fs::directory_entry&)>& visit) {
  std::error_code error;
  auto it = platform::open_folder(folder, error);
  for (const fs::directory_iterator end; !error && it != end; it.increment(error)) visit(*it);
  if (error) {
    throw Error(Code::read_failed, {folder.string(), 0, 0},
                "cannot list the folder: " + error.message() + " (no file was changed)");
  }
}

std::optional<fs::path> find_case_insensitive(const fs::path& directory, std::string_view name) {
  if (name_taken(directory / name)) return directory / name;
  // No folder, no file in it: the caller then names the path it falls back to.
  std::error_code error;
  if (!fs::is_directory(directory, error)) return std::nullopt;
  std::optional<fs::path> found;
  for_each_entry(directory, [&](const fs::directory_entry& entry) {
    if (!found && equal_ignoring_ascii_case(entry.path().filename().string(), name)) found = entry.path();
  });
  return found;
}

// <prefix>/<relative> for this executable in <prefix>/bin, in the system's separators only, so
// that a message on Windows does not show "...\share/ptvsd-publish/templates\native.config".
namespace {
fs::path installed(std::string_view relative) {
  return (platform::executable_path().parent_path().parent_path() / relative).make_preferred();
}
}  // namespace

fs::path templates_directory() { return installed(PTVSD_TEMPLATES_SUBDIR); }

fs::path site_proxy_path() { return installed(PTVSD_SITE_PROXY_SUBPATH); }

}  // namespace ptvsd::files
