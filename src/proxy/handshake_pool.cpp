#include "proxy/handshake_pool.h"

#include <algorithm>

namespace ptvsd::proxy {

std::optional<HandshakePool::Id> HandshakePool::admit(std::optional<std::string> address, std::function<void()> drop) {
  if (address && count_from(*address) >= limits_.per_address && !evict_oldest_idle(address)) {
    return std::nullopt;
  }
  if (entries_.size() >= limits_.total && !evict_oldest_idle(std::nullopt)) return std::nullopt;
  const Id id = next_id_++;
  entries_.push_back({id, std::move(address), false, std::move(drop)});
  return id;
}

void HandshakePool::mark_talking(Id id) {
  const auto found = std::find_if(entries_.begin(), entries_.end(), [id](const Entry& e) { return e.id == id; });
  if (found != entries_.end()) found->talking = true;
}

void HandshakePool::release(Id id) {
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(), [id](const Entry& e) { return e.id == id; }),
                 entries_.end());
}

std::size_t HandshakePool::count_from(const std::string& address) const {
  return static_cast<std::size_t>(
      std::count_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.address == address; }));
}

// `address` nullopt: among all handshakes.
bool HandshakePool::evict_oldest_idle(const std::optional<std::string>& address) {
  const auto oldest = std::find_if(entries_.begin(), entries_.end(),
                                   [&](const Entry& e) { return !e.talking && (!address || e.address == address); });
  if (oldest == entries_.end()) return false;
  // Out of the table before the call, so a drop that releases its own ticket finds nothing.
  const auto drop = std::move(oldest->drop);
  entries_.erase(oldest);
  if (drop) drop();
  return true;
}

}  // namespace ptvsd::proxy
