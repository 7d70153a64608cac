#include "proxy/rate_limit.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace ptvsd::proxy {
namespace {

using namespace std::chrono_literals;
using Clock = RateLimiter::Clock;

RateLimitPolicy policy() {
  RateLimitPolicy p;
  p.free_failures = 3;
  p.first_delay = 1s;
  p.max_delay = 8s;
  p.forget_after = 60s;
  p.max_addresses = 3;
  return p;
}

TEST(ProxyRateLimit, FreeFailuresImposeNoDelay) {
  RateLimiter limiter(policy());
  const auto t0 = Clock::time_point{} + 1000s;
  for (unsigned i = 1; i <= 3; ++i) {
    const auto failure = limiter.record_failure("10.0.0.1", t0);
    EXPECT_EQ(failure.consecutive, i);
    EXPECT_EQ(failure.delay, Clock::duration::zero());
    EXPECT_EQ(limiter.wait_time("10.0.0.1", t0), Clock::duration::zero());
  }
}

TEST(ProxyRateLimit, DelayDoublesUpToTheCap) {
  RateLimiter limiter(policy());
  auto now = Clock::time_point{} + 1000s;
  for (int i = 0; i < 3; ++i) (void)limiter.record_failure("10.0.0.1", now);
  const std::chrono::seconds expected[] = {1s, 2s, 4s, 8s, 8s, 8s};
  for (const auto delay : expected) {
    const auto failure = limiter.record_failure("10.0.0.1", now);
    EXPECT_EQ(failure.delay, delay);
    EXPECT_EQ(limiter.wait_time("10.0.0.1", now), delay);
    EXPECT_EQ(limiter.wait_time("10.0.0.1", now + delay / 2), delay - delay / 2);
    now += delay;  // the client waits it out, then fails again
    EXPECT_EQ(limiter.wait_time("10.0.0.1", now), Clock::duration::zero());
  }
}

// README, Security model: the first 5 failures in a row cost nothing, the 6th makes the address
// wait 1 s, each further one doubles the wait, up to 5 minutes.
TEST(ProxyRateLimit, TheDefaultPolicyIsTheReadmes) {
  RateLimiter limiter;
  auto now = Clock::time_point{} + 1000s;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.record_failure("10.0.0.1", now).delay, Clock::duration::zero());
  Clock::duration expected = 1s;
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(limiter.record_failure("10.0.0.1", now).delay, expected);
    now += expected;
    expected = std::min<Clock::duration>(expected * 2, 5min);
  }
  EXPECT_EQ(expected, 5min);
}

TEST(ProxyRateLimit, AddressesAreIndependent) {
  RateLimiter limiter(policy());
  const auto now = Clock::time_point{} + 1000s;
  for (int i = 0; i < 5; ++i) (void)limiter.record_failure("10.0.0.1", now);
  EXPECT_GT(limiter.wait_time("10.0.0.1", now), Clock::duration::zero());
  EXPECT_EQ(limiter.wait_time("10.0.0.2", now), Clock::duration::zero());
}

TEST(ProxyRateLimit, SuccessForgetsTheAddress) {
  RateLimiter limiter(policy());
  auto now = Clock::time_point{} + 1000s;
  for (int i = 0; i < 4; ++i) (void)limiter.record_failure("10.0.0.1", now);
  now += 1s;
  limiter.record_success("10.0.0.1");
  EXPECT_EQ(limiter.tracked_addresses(), 0U);
  EXPECT_EQ(limiter.record_failure("10.0.0.1", now).consecutive, 1U);
}

TEST(ProxyRateLimit, QuietAddressesStartAfresh) {
  RateLimiter limiter(policy());
  auto now = Clock::time_point{} + 1000s;
  for (int i = 0; i < 6; ++i) (void)limiter.record_failure("10.0.0.1", now);
  now += 61s;
  const auto failure = limiter.record_failure("10.0.0.1", now);
  EXPECT_EQ(failure.consecutive, 1U);
  EXPECT_EQ(failure.delay, Clock::duration::zero());
}

TEST(ProxyRateLimit, TableSizeIsBounded) {
  RateLimiter limiter(policy());
  auto now = Clock::time_point{} + 1000s;
  for (int i = 0; i < 10; ++i) {
    (void)limiter.record_failure("10.0.0." + std::to_string(i), now);
    now += 1s;
    EXPECT_LE(limiter.tracked_addresses(), 3U);
  }
  // The newest addresses are the ones kept.
  for (int i = 0; i < 4; ++i) (void)limiter.record_failure("10.0.0.9", now);
  EXPECT_GT(limiter.wait_time("10.0.0.9", now), Clock::duration::zero());
}

TEST(ProxyRateLimit, LongRunsDoNotOverflow) {
  RateLimiter limiter(policy());
  const auto now = Clock::time_point{} + 1000s;
  RateLimiter::Failure failure;
  for (int i = 0; i < 10000; ++i) failure = limiter.record_failure("10.0.0.1", now);
  EXPECT_EQ(failure.delay, std::chrono::duration_cast<Clock::duration>(8s));
}

}  // namespace
}  // namespace ptvsd::proxy
