#include "proxy/handshake_pool.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace ptvsd::proxy {
namespace {

// A pool whose evictions are written down, by the name each handshake was admitted with.
class Pool {
 public:
  explicit Pool(HandshakeLimits limits) : pool(limits) {}

  std::optional<HandshakePool::Id> admit(const std::string& name, std::optional<std::string> address) {
    return pool.admit(std::move(address), [this, name] { dropped.push_back(name); });
  }

  HandshakePool pool;
  std::vector<std::string> dropped;
};

TEST(ProxyHandshakePool, AnAddressAtItsCapLosesItsOldestIdleHandshake) {
  Pool p({10, 2});
  const auto a1 = p.admit("a1", "10.0.0.1");
  ASSERT_TRUE(p.admit("a2", "10.0.0.1"));
  ASSERT_TRUE(p.admit("b1", "10.0.0.2"));
  ASSERT_TRUE(p.admit("a3", "10.0.0.1"));
  EXPECT_EQ(p.dropped, std::vector<std::string>{"a1"});
  EXPECT_EQ(p.pool.size(), 3u);
  p.pool.release(*a1);  // the dropped connection ends later: its place is not freed twice
  EXPECT_EQ(p.pool.size(), 3u);
}

TEST(ProxyHandshakePool, TalkingHandshakesAreKeptAndTheNewcomerWaits) {
  Pool p({10, 2});
  const auto a1 = p.admit("a1", "10.0.0.1");
  const auto a2 = p.admit("a2", "10.0.0.1");
  p.pool.mark_talking(*a1);
  ASSERT_TRUE(p.admit("a3", "10.0.0.1"));  // a2 goes: it is idle
  EXPECT_EQ(p.dropped, std::vector<std::string>{"a2"});
  const auto a4 = p.admit("a4", "10.0.0.1");
  ASSERT_TRUE(a4);
  p.pool.mark_talking(*a4);
  // a3 went for a4; now both are talking, so a fifth from that address is turned away.
  EXPECT_EQ(p.dropped, (std::vector<std::string>{"a2", "a3"}));
  EXPECT_EQ(p.admit("a5", "10.0.0.1"), std::nullopt);
  EXPECT_TRUE(p.admit("b1", "10.0.0.2"));  // other addresses are not held up
  p.pool.release(*a1);
  EXPECT_TRUE(p.admit("a6", "10.0.0.1"));
  (void)a2;
}

TEST(ProxyHandshakePool, AFullPoolDropsItsOldestIdleHandshakeNotTheNewcomer) {
  Pool p({3, 3});
  const auto first = p.admit("x1", "10.0.0.1");
  ASSERT_TRUE(p.admit("y1", "10.0.0.2"));
  ASSERT_TRUE(p.admit("z1", "10.0.0.3"));
  p.pool.mark_talking(*first);
  ASSERT_TRUE(p.admit("w1", "10.0.0.4"));
  EXPECT_EQ(p.dropped, std::vector<std::string>{"y1"});  // x1 talks, so y1 is the oldest idle
  EXPECT_EQ(p.pool.size(), 3u);
}

TEST(ProxyHandshakePool, AFullPoolOfTalkingHandshakesTurnsTheNewcomerAway) {
  Pool p({2, 2});
  p.pool.mark_talking(*p.admit("x1", "10.0.0.1"));
  p.pool.mark_talking(*p.admit("y1", "10.0.0.2"));
  EXPECT_EQ(p.admit("z1", "10.0.0.3"), std::nullopt);
  EXPECT_TRUE(p.dropped.empty());
}

TEST(ProxyHandshakePool, HandshakesWithoutAnAddressAreCappedOnlyInTotal) {
  Pool p({5, 1});
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(p.admit("n" + std::to_string(i), std::nullopt));
  EXPECT_TRUE(p.dropped.empty());
  ASSERT_TRUE(p.admit("n5", std::nullopt));
  EXPECT_EQ(p.dropped, std::vector<std::string>{"n0"});
}

}  // namespace
}  // namespace ptvsd::proxy
