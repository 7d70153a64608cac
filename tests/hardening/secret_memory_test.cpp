// After a command has run, no copy of a secret it handled may be left in the process's memory,
// neither in a live buffer nor in a freed one: Secret, SensitiveString and pugixml's blocks are
// wiped before they are freed, and file I/O goes through no stdio buffer.
//
// How: the command runs in this process (run_tool, as main() calls it); then every readable
// private mapping (the heap and anonymous memory; not stacks, files or huge reservations such as
// ASan's shadow) is read through /proc/self/mem, which neither faults on freed memory nor trips
// ASan, and searched for the secret. The test's own copies of the secret, and its scratch space,
// live in one mmap'd area that the scan skips. Linux only (it needs /proc).
//
// The random bytes a new secret is encoded from are searched for too, in the heap and on the main
// thread's stack as well: randombytes_buf fills a buffer on Secret::generate's stack, and a frame
// that returns without wiping leaves its bytes below the caller's stack pointer until a deeper call
// overwrites them. So GenerateLeavesNoCopyOfTheRandomBytes calls generate below 64 KiB of padding,
// deeper than the scan's own calls go.
//
// What it proves: when the command returns, no heap or anonymous copy of the old or new secret
// exists, and no copy of a new secret's random bytes anywhere in the heap or on the main stack.
// What it does not: the secret's text on a stack, copies in registers, in the kernel or on disk
// (the file).
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <sodium.h>

#include "commands/executor.h"
#include "core/secret.h"
#include "core/xml_memory.h"

namespace {

namespace fs = std::filesystem;

// Freed small blocks get allocator bookkeeping over their first 16 bytes, so the search looks
// for the secret's tail: 24 random base64url characters do not occur by chance.
constexpr std::size_t tail_length = 24;
constexpr std::size_t scratch_size = 8 << 20;
constexpr std::size_t largest_scanned = 256 << 20;

// All of the test's memory that may hold a secret: skipped by the scan.
class Scratch {
 public:
  Scratch()
      : base_(static_cast<char*>(
            mmap(nullptr, scratch_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))) {}
  ~Scratch() { munmap(base_, scratch_size); }
  char* at(std::size_t offset) const { return base_ + offset; }
  bool contains(std::uintptr_t address) const {
    const auto begin = reinterpret_cast<std::uintptr_t>(base_);
    return address >= begin && address < begin + scratch_size;
  }

 private:
  char* base_;
};

// Layout of the scratch area.
constexpr std::size_t maps_at = 0, maps_size = 1 << 20;
constexpr std::size_t chunk_at = maps_size, chunk_size = 4 << 20;
constexpr std::size_t file_at = chunk_at + chunk_size, file_size_limit = 1 << 20;
constexpr std::size_t needle_at = file_at + file_size_limit;
constexpr std::size_t raw_needle_at = needle_at + (1 << 16);

std::size_t read_all(const char* path, char* buffer, std::size_t size) {
  const int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  std::size_t total = 0;
  for (ssize_t n; total < size && (n = read(fd, buffer + total, size - total)) > 0;)
    total += static_cast<std::size_t>(n);
  close(fd);
  return total;
}

// Occurrences of `needle` in [begin, end) of this process's memory, read without allocating. Chunks
// overlap by the needle's length, so a copy across two chunks may count twice: at least, not exactly.
std::size_t count_in_region(int mem, const Scratch& scratch, std::uintptr_t begin, std::uintptr_t end,
                            std::string_view needle) {
  std::size_t found = 0;
  char* chunk = scratch.at(chunk_at);
  for (std::uintptr_t at = begin; at < end; at += chunk_size - needle.size()) {
    const auto want = std::min<std::uintptr_t>(chunk_size, end - at);
    const auto got = pread(mem, chunk, want, static_cast<off_t>(at));
    if (got <= 0) break;
    const std::string_view text(chunk, static_cast<std::size_t>(got));
    for (auto hit = text.find(needle); hit != std::string_view::npos; hit = text.find(needle, hit + 1)) ++found;
    if (static_cast<std::uintptr_t>(got) < want) break;
  }
  return found;
}

enum class Stack { skipped, scanned };

// Copies (at least) of `needle`, which lives in the scratch area, anywhere in the scanned memory;
// with Stack::scanned, the main thread's stack too (other threads' stacks are anonymous mappings).
std::size_t copies_in_memory(const Scratch& scratch, std::string_view needle, Stack stack = Stack::skipped) {
  char* maps = scratch.at(maps_at);
  const auto size = read_all("/proc/self/maps", maps, maps_size - 1);
  maps[size] = '\0';
  const int mem = open("/proc/self/mem", O_RDONLY);
  std::size_t found = 0;
  for (char* line = maps; *line != '\0';) {
    char* next = std::strchr(line, '\n');
    if (next != nullptr) *next = '\0';
    char* rest = nullptr;
    const auto begin = static_cast<std::uintptr_t>(std::strtoull(line, &rest, 16));
    const auto end = static_cast<std::uintptr_t>(std::strtoull(rest + 1, &rest, 16));
    const char* perms = rest + 1;
    const std::string_view tail(line);
    const bool main_stack = tail.find("[stack]") != std::string_view::npos;
    const bool anonymous = tail.find('/') == std::string_view::npos &&
                           (tail.find("[stack") == std::string_view::npos || (main_stack && stack == Stack::scanned)) &&
                           tail.find("[v") == std::string_view::npos;  // [vdso], [vvar], [vsyscall]
    if (perms[0] == 'r' && perms[3] == 'p' && anonymous && end - begin <= largest_scanned && !scratch.contains(begin)) {
      found += count_in_region(mem, scratch, begin, end, needle);
    }
    line = next == nullptr ? line + std::strlen(line) : next + 1;
  }
  close(mem);
  return found;
}

int run(std::initializer_list<const char*> arguments) {
  std::vector<const char*> argv = {"ptvsd-publish"};
  argv.insert(argv.end(), arguments);
  return ptvsd::run_tool(static_cast<int>(argv.size()), argv.data());
}

class SecretMemoryTest : public testing::Test {
 protected:
  void SetUp() override {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    folder_ = fs::temp_directory_path() / (std::string("ptvsd-memory-") + info->name());
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  // The secret of `config` (`value="` right after the key), read into the scratch area's file
  // slot, which wipe_file() clears; empty when there is none.
  std::string_view secret_value(const fs::path& config) {
    char* file = scratch_.at(file_at);
    file_size_ = read_all(config.c_str(), file, file_size_limit);
    const std::string_view text(file, file_size_);
    constexpr std::string_view marker = "\"WSGI_PTVSD_SECRET\" value=\"";
    const auto start = text.find(marker);
    const auto value_end = start == std::string_view::npos ? start : text.find('"', start + marker.size());
    if (value_end == std::string_view::npos) return {};
    return text.substr(start + marker.size(), value_end - start - marker.size());
  }
  void wipe_file() { std::memset(scratch_.at(file_at), 0, file_size_); }

  // The tail of the secret of `config`, copied into the scratch area at `slot`; empty when there
  // is none.
  std::string_view secret_tail(const fs::path& config, std::size_t slot) {
    const auto value = secret_value(config);
    std::string_view tail;
    if (value.size() >= tail_length) {
      char* needle = scratch_.at(needle_at + slot * 64);
      std::memcpy(needle, value.data() + value.size() - tail_length, tail_length);
      tail = {needle, tail_length};
    }
    wipe_file();
    return tail;
  }

  // A user-owned config whose secret is made in the scratch area, never in a std::string.
  fs::path user_config_with_scratch_secret(std::size_t slot) {
    char* text = scratch_.at(file_at);
    constexpr std::string_view head = "<configuration><appSettings><add key=\"WSGI_PTVSD_SECRET\" value=\"";
    constexpr std::string_view foot = "\"/></appSettings></configuration>\n";
    std::memcpy(text, head.data(), head.size());
    random_base64url(text + head.size(), 43);
    std::memcpy(text + head.size() + 43, foot.data(), foot.size());
    const auto path = folder_ / "web.config";
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    EXPECT_EQ(write(fd, text, head.size() + 43 + foot.size()), static_cast<ssize_t>(head.size() + 43 + foot.size()));
    close(fd);
    (void)secret_tail(path, slot);
    return path;
  }

  static void random_base64url(char* out, std::size_t size) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char raw[64];
    const int fd = open("/dev/urandom", O_RDONLY);
    EXPECT_EQ(read(fd, raw, size), static_cast<ssize_t>(size));
    close(fd);
    for (std::size_t i = 0; i < size; ++i) out[i] = alphabet[static_cast<unsigned char>(raw[i]) % 64];
    std::memset(raw, 0, sizeof raw);
  }

  std::string_view needle(std::size_t slot) const { return {scratch_.at(needle_at + slot * 64), tail_length}; }

  // The last tail_length of the random bytes a secret's text encodes, decoded into the scratch
  // area at `slot`; empty when the text is not base64url.
  std::string_view random_bytes_tail(std::string_view secret_text, std::size_t slot) {
    auto* raw = reinterpret_cast<unsigned char*>(scratch_.at(raw_needle_at + slot * 128));
    std::size_t size = 0;
    if (sodium_base642bin(raw, 128, secret_text.data(), secret_text.size(), nullptr, &size, nullptr,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        size < tail_length) {
      return {};
    }
    return {reinterpret_cast<const char*>(raw) + size - tail_length, tail_length};
  }

  // The same for the secret of `config`.
  std::string_view random_bytes_tail(const fs::path& config, std::size_t slot) {
    const auto tail = random_bytes_tail(secret_value(config), slot);
    wipe_file();
    return tail;
  }

  Scratch scratch_;
  std::size_t file_size_ = 0;
  fs::path folder_;
};

// The scan must be able to fail: it finds a live copy and a freed, unwiped one.
TEST_F(SecretMemoryTest, ScanFindsLiveAndFreedCopies) {
  const auto config = user_config_with_scratch_secret(0);
  const auto tail = needle(0);
  auto* live = new std::string(tail);
  EXPECT_GE(copies_in_memory(scratch_, tail), 1u);
  std::memset(live->data(), 0, live->size());
  delete live;
  EXPECT_EQ(copies_in_memory(scratch_, tail), 0u);
  {
    std::string freed(4000, ' ');
    freed.replace(2000, tail.size(), tail);
  }
  EXPECT_GE(copies_in_memory(scratch_, tail), 1u) << "a freed, unwiped copy went unseen";
  (void)config;
}

// Runs `call` below 64 KiB of stack, deeper than the scan's own calls from a test's frame reach,
// so that what its callees leave on the stack stays there for the scan to find.
template <class Call>
[[gnu::noinline]] void deep_in_the_stack(Call call) {
  volatile char padding[64 * 1024];
  padding[0] = 0;
  call();
  padding[sizeof padding - 1] = 0;  // after the call, which therefore cannot become a jump made
                                    // after the padding is given back
}

// What a buffer that is not wiped does: its bytes stay in the dead frame.
[[gnu::noinline]] void leave_on_the_stack(std::string_view needle) {
  [[maybe_unused]] volatile char copy[64];
  for (std::size_t i = 0; i < needle.size(); ++i) copy[i] = needle[i];
}

// The stack scan must be able to fail too: it finds bytes a returned frame left behind.
TEST_F(SecretMemoryTest, ScanFindsBytesLeftOnTheStack) {
  char* bytes = scratch_.at(raw_needle_at);
  ASSERT_EQ(read_all("/dev/urandom", bytes, tail_length), tail_length);
  const std::string_view raw(bytes, tail_length);
  EXPECT_EQ(copies_in_memory(scratch_, raw, Stack::scanned), 0u);
  deep_in_the_stack([raw] { leave_on_the_stack(raw); });
  EXPECT_GE(copies_in_memory(scratch_, raw, Stack::scanned), 1u) << "a copy left on the stack went unseen";
}

// randombytes_buf fills a buffer on generate's stack; the bytes must not outlive the call.
TEST_F(SecretMemoryTest, GenerateLeavesNoCopyOfTheRandomBytes) {
  std::string_view raw;
  {
    std::optional<ptvsd::Secret> secret;
    deep_in_the_stack([&secret] { secret.emplace(ptvsd::Secret::generate()); });
    raw = random_bytes_tail(secret->reveal(), 0);
  }
  ASSERT_FALSE(raw.empty());
  EXPECT_EQ(copies_in_memory(scratch_, raw, Stack::scanned), 0u);
}

TEST_F(SecretMemoryTest, PublishLeavesNoCopyOfTheNewSecret) {
  const auto project = folder_.string();
  ASSERT_EQ(run({"publish", "--project", project.c_str()}), 0);
  const auto first = secret_tail(folder_ / "web.debug.config", 0);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(copies_in_memory(scratch_, first), 0u) << "created";
  const auto first_raw = random_bytes_tail(folder_ / "web.debug.config", 0);
  ASSERT_FALSE(first_raw.empty());
  EXPECT_EQ(copies_in_memory(scratch_, first_raw, Stack::scanned), 0u) << "its random bytes";

  ASSERT_EQ(run({"publish", "--project", project.c_str()}), 0);
  const auto second = secret_tail(folder_ / "web.debug.config", 1);
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(copies_in_memory(scratch_, second), 0u) << "regenerated";
}

// The replaced file's bytes, which publish holds until its files are replaced, carry the old
// secret; they must be wiped as well.
TEST_F(SecretMemoryTest, PublishLeavesNoCopyOfTheOldSecret) {
  const auto project = folder_.string();
  ASSERT_EQ(run({"publish", "--project", project.c_str()}), 0);
  const auto first = secret_tail(folder_ / "web.debug.config", 0);
  ASSERT_FALSE(first.empty());
  ASSERT_EQ(run({"publish", "--project", project.c_str()}), 0);
  EXPECT_EQ(copies_in_memory(scratch_, first), 0u) << "regenerated over it";

  (void)user_config_with_scratch_secret(2);
  fs::rename(folder_ / "web.config", folder_ / "web.debug.config");
  ASSERT_EQ(run({"publish", "--project", project.c_str()}), 0);
  EXPECT_EQ(copies_in_memory(scratch_, needle(2)), 0u) << "spliced";
}

TEST_F(SecretMemoryTest, RotateLeavesNoCopyOfTheOldSecret) {
  const auto config = user_config_with_scratch_secret(0);
  ASSERT_EQ(run({"rotate", config.c_str()}), 0);
  EXPECT_EQ(copies_in_memory(scratch_, needle(0)), 0u);
}

// The report keeps each new secret (to reveal or export it when asked); that copy is wiped too.
TEST_F(SecretMemoryTest, RotateLeavesNoCopyOfTheNewSecret) {
  const auto config = user_config_with_scratch_secret(0);
  ASSERT_EQ(run({"rotate", config.c_str()}), 0);
  const auto fresh = secret_tail(config, 1);
  ASSERT_FALSE(fresh.empty());
  EXPECT_EQ(copies_in_memory(scratch_, fresh), 0u);
  const auto raw = random_bytes_tail(config, 1);
  ASSERT_FALSE(raw.empty());
  EXPECT_EQ(copies_in_memory(scratch_, raw, Stack::scanned), 0u) << "its random bytes";
}

TEST_F(SecretMemoryTest, PublishOverAUserOwnedConfigLeavesNoCopyOfTheNewSecret) {
  (void)user_config_with_scratch_secret(0);
  fs::rename(folder_ / "web.config", folder_ / "web.debug.config");
  const auto project = folder_.string();
  ASSERT_EQ(run({"publish", "--project", project.c_str()}), 0);
  const auto fresh = secret_tail(folder_ / "web.debug.config", 1);
  ASSERT_FALSE(fresh.empty());
  EXPECT_EQ(copies_in_memory(scratch_, fresh), 0u);
}

}  // namespace

int main(int argc, char** argv) {
  ptvsd::wipe_xml_memory_on_free();  // as the tool's main() does
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
