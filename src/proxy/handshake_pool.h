// The connections still in their HTTP handshake, and who must make room when a new one arrives.
// An audit held all 64 places with sockets that never sent a byte, from one address, and so locked
// out everyone; the rules below keep a place for a client that actually talks:
//   * each client address has at most `per_address` places (behind a trusted front end every
//     connection comes from the front end, so none is capped by address there);
//   * a newcomer who finds its address's places, or all places, taken pushes out the oldest
//     handshake that has not sent a byte yet; only when none is idle is the newcomer turned away.
// Together with the short deadline for the first byte (Settings::first_byte_timeout), an idle flood
// from one address holds at most `per_address` places, each for seconds. Pure bookkeeping: the
// caller closes what `admit` evicts, so the rules are tested without sockets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ptvsd::proxy {

struct HandshakeLimits {
  std::size_t total = 64;
  std::size_t per_address = 8;
};

class HandshakePool {
 public:
  using Id = std::uint64_t;

  explicit HandshakePool(HandshakeLimits limits) : limits_(limits) {}

  // A place for a newcomer from `address` (nullopt: not capped by address), or nullopt when every
  // handshake in its way has already sent bytes. An evicted handshake's `drop` is called at once
  // and its place is free on return.
  std::optional<Id> admit(std::optional<std::string> address, std::function<void()> drop);
  // The handshake has received its first byte: it is no longer the first to go.
  void mark_talking(Id id);
  // The handshake has ended (answered, bridged or gone); unknown ids (evicted ones) are ignored.
  void release(Id id);

  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Id id;
    std::optional<std::string> address;
    bool talking = false;
    std::function<void()> drop;
  };
  std::size_t count_from(const std::string& address) const;
  bool evict_oldest_idle(const std::optional<std::string>& address);

  HandshakeLimits limits_;
  std::vector<Entry> entries_;  // oldest first; a few dozen at most, so scans are cheap
  Id next_id_ = 1;
};

// Releases a place in a HandshakePool when the handshake holding it ends, whichever way.
class HandshakeTicket {
 public:
  HandshakeTicket(HandshakePool& pool, HandshakePool::Id id) : pool_(&pool), id_(id) {}
  HandshakeTicket(HandshakeTicket&& other) noexcept : pool_(std::exchange(other.pool_, nullptr)), id_(other.id_) {}
  HandshakeTicket& operator=(HandshakeTicket&&) = delete;
  HandshakeTicket(const HandshakeTicket&) = delete;
  HandshakeTicket& operator=(const HandshakeTicket&) = delete;
  ~HandshakeTicket() {
    if (pool_ != nullptr) pool_->release(id_);
  }
  void mark_talking() const { pool_->mark_talking(id_); }

 private:
  HandshakePool* pool_;
  HandshakePool::Id id_;
};

}  // namespace ptvsd::proxy
