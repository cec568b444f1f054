#include <boost/test/unit_test.hpp>

#include <cstring>
#include <vector>

#include "tensor/block_cache.h"

using namespace l2;

namespace {
constexpr std::size_t MB = std::size_t(1) << 20;

// A training-step-like pattern whose size classes peak at different moments (Note [Storage
// cache]): a "forward" holding ten 4 MB blocks, then a "backward" holding three 12 MB ones.
void one_step() {
  std::vector<void*> fwd, bwd;
  for (int i = 0; i < 10; ++i) fwd.push_back(cache_allocate(4 * MB));
  for (int i = 0; i < 9; ++i) cache_free(fwd[size_t(i)], 4 * MB);
  for (int i = 0; i < 3; ++i) bwd.push_back(cache_allocate(12 * MB));
  for (void* p : bwd) std::memset(p, 1, 12 * MB);
  cache_free(fwd[9], 4 * MB);
  for (void* p : bwd) cache_free(p, 12 * MB);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(block_cache)

BOOST_AUTO_TEST_CASE(a_freed_block_is_handed_out_again) {
  if (!cache_enabled()) return;  // sanitizer builds bypass the cache
  cache_release_all();
  void* a = cache_allocate(3 * MB);
  cache_free(a, 3 * MB);
  BOOST_TEST(cache_stats().held >= 3 * MB);
  const std::size_t hits = cache_stats().hits;
  void* b = cache_allocate(3 * MB - 100);  // same size class
  BOOST_TEST(b == a);
  BOOST_TEST(cache_stats().hits == hits + 1);
  cache_free(b, 3 * MB - 100);
  cache_release_all();
  BOOST_TEST(cache_stats().held == 0u);
}

BOOST_AUTO_TEST_CASE(the_footprint_stays_near_the_largest_live_set) {
  if (!cache_enabled()) return;
  cache_release_all();
  const std::size_t live0 = cache_stats().live;  // blocks other tests keep alive
  for (int step = 0; step < 5; ++step) one_step();
  const CacheStats s = cache_stats();
  // A cache that only grows would hold 10 x 4 MB + 3 x 12 MB = 76 MB against a live peak of 40 MB.
  BOOST_TEST(s.peak_live - live0 == 10 * 4 * MB);
  BOOST_TEST(s.peak_footprint <= s.peak_live + s.peak_live / 2);
  BOOST_TEST(s.peak_footprint - live0 < 10 * 4 * MB + 3 * 12 * MB);
  cache_release_all();
}

BOOST_AUTO_TEST_CASE(a_repeated_pattern_that_fits_is_served_from_the_cache) {
  if (!cache_enabled()) return;
  cache_release_all();
  auto step = [] {
    void* a = cache_allocate(5 * MB);
    void* b = cache_allocate(9 * MB);
    cache_free(a, 5 * MB);
    cache_free(b, 9 * MB);
  };
  step();
  const CacheStats before = cache_stats();
  for (int i = 0; i < 4; ++i) step();
  const CacheStats after = cache_stats();
  BOOST_TEST(after.misses == before.misses);
  BOOST_TEST(after.hits == before.hits + 8);
  BOOST_TEST(after.peak_footprint == before.peak_footprint);
  cache_release_all();
}

BOOST_AUTO_TEST_SUITE_END()
