#include "proxy/rate_limit.h"

#include <algorithm>

namespace ptvsd::proxy {

RateLimiter::Duration RateLimiter::wait_time(std::string_view address, TimePoint now) const {
  const auto found = entries_.find(std::string(address));
  if (found == entries_.end() || found->second.blocked_until <= now) return Duration::zero();
  return found->second.blocked_until - now;
}

RateLimiter::Failure RateLimiter::record_failure(std::string_view address, TimePoint now) {
  auto found = entries_.find(std::string(address));
  if (found == entries_.end()) {
    make_room(now);
    found = entries_.emplace(std::string(address), Entry{}).first;
  }
  Entry& entry = found->second;
  if (entry.failures > 0 && now - entry.last_failure >= policy_.forget_after) entry = Entry{};
  ++entry.failures;
  entry.last_failure = now;

  Duration delay = Duration::zero();
  if (entry.failures > policy_.free_failures) {
    delay = policy_.first_delay;
    // Doubling stops at the cap, so the shift never overflows however long an attacker goes on.
    for (unsigned i = policy_.free_failures + 1; i < entry.failures && delay < policy_.max_delay; ++i) {
      delay *= 2;
    }
    delay = std::min(delay, policy_.max_delay);
  }
  entry.blocked_until = now + delay;
  return {entry.failures, delay};
}

void RateLimiter::record_success(std::string_view address) { entries_.erase(std::string(address)); }

void RateLimiter::make_room(TimePoint now) {
  if (entries_.size() < policy_.max_addresses) return;
  for (auto it = entries_.begin(); it != entries_.end();) {
    it = now - it->second.last_failure >= policy_.forget_after ? entries_.erase(it) : std::next(it);
  }
  if (entries_.size() < policy_.max_addresses) return;
  // Still full: drop the address whose last failure is oldest. Someone with that many addresses
  // gets free_failures guesses from each whatever the table does; the cap only bounds memory.
  const auto stalest = std::min_element(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
    return a.second.last_failure < b.second.last_failure;
  });
  entries_.erase(stalest);
}

}  // namespace ptvsd::proxy
