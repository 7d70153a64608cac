// Tells a guesser to back off: after a few failed attempts from one client address, that address
// must wait, and the wait doubles with every further failure; a wrong secret during the wait gets
// 429 instead of 401 (Connection). The secret is still checked meanwhile and the right one gets in,
// so a guesser cannot lock out others behind the same address; one that ignores the wait gains
// nothing against a 128-bit secret. A success forgets the address. Pure: the caller passes the
// time, so tests use a fake clock.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ptvsd::proxy {

struct RateLimitPolicy {
  using Duration = std::chrono::steady_clock::duration;
  unsigned free_failures = 5;  // typos and a client's retries before any delay
  Duration first_delay = std::chrono::seconds(1);
  Duration max_delay = std::chrono::minutes(5);
  // An address that has not failed for this long starts afresh.
  Duration forget_after = std::chrono::hours(1);
  // Bounds the memory a flood of addresses can take; the stalest entries go first.
  std::size_t max_addresses = 4096;
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;
  using Duration = Clock::duration;

  explicit RateLimiter(RateLimitPolicy policy = {}) : policy_(policy) {}

  // Zero when `address` may try now; otherwise how long it still has to wait.
  [[nodiscard]] Duration wait_time(std::string_view address, TimePoint now) const;

  struct Failure {
    unsigned consecutive = 0;  // failures in a row, this one included
    Duration delay{};          // the wait imposed before the next attempt (zero: none)
  };
  Failure record_failure(std::string_view address, TimePoint now);
  void record_success(std::string_view address);

  std::size_t tracked_addresses() const { return entries_.size(); }

 private:
  struct Entry {
    unsigned failures = 0;
    TimePoint last_failure{};
    TimePoint blocked_until{};
  };
  void make_room(TimePoint now);

  RateLimitPolicy policy_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace ptvsd::proxy
