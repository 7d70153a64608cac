// What every connection of one proxy shares: the settings, the secret check, the rate limiter,
// the counters behind the limits, and the log. One io_context thread uses it, so no locks.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "proxy/auth.h"
#include "proxy/handshake_pool.h"
#include "proxy/rate_limit.h"
#include "proxy/settings.h"

namespace ptvsd::proxy {

// A place taken in a limited pool (bridged sessions), given back when the
// holder dies, whichever way it ends.
class Slot {
 public:
  explicit Slot(std::size_t& counter) : counter_(&counter) { ++*counter_; }
  Slot(Slot&& other) noexcept : counter_(std::exchange(other.counter_, nullptr)) {}
  Slot& operator=(Slot&&) = delete;
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  ~Slot() {
    if (counter_ != nullptr) --*counter_;
  }

 private:
  std::size_t* counter_;
};

struct Context {
  Context(Settings settings_in, const Secret& secret)
      : settings(std::move(settings_in)),
        secret_check(secret),
        rate_limiter(settings.rate_limit),
        handshakes(settings.handshakes) {}

  const Settings settings;
  const SecretCheck secret_check;
  RateLimiter rate_limiter;
  HandshakePool handshakes;
  std::size_t sessions = 0;
  unsigned long long next_session_id = 1;
};

// One line on stderr, "ptvsd-proxy: <text>". Under IIS, HttpPlatformHandler's stdoutLogFile
// collects it. Never pass anything a client sent as a credential.
void log_line(std::string_view text);

}  // namespace ptvsd::proxy
