#include "tensor/block_cache.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <map>
#include <mutex>
#include <new>
#include <string>
#include <vector>

namespace l2 {

namespace {

constexpr std::size_t kAlign = 64;
// Requests below this size do not evict: glibc serves them from its heap, which does not shrink when
// cached blocks are freed, so evicting for them would cost reuse and save no memory.
constexpr std::size_t kEvictFrom = std::size_t(1) << 20;

// The size class of a request: a multiple of 64 up to 4 KiB, then 2^k * {1, 1.25, 1.5, 1.75}.
std::size_t size_class(std::size_t bytes) {
  bytes = std::max<std::size_t>(bytes, kAlign);
  if (bytes <= 4096) return (bytes + kAlign - 1) / kAlign * kAlign;
  std::size_t p = 4096;
  while (p * 2 <= bytes) p *= 2;
  for (std::size_t q = 0; q < 4; ++q)  // p itself, 1.25 p, 1.5 p, 1.75 p
    if (bytes <= p + p / 4 * q) return p + p / 4 * q;
  return 2 * p;
}

std::size_t default_cap() {
  if (const char* env = std::getenv("L2AUG_CACHE_MB"); env && *env) return std::size_t(std::atoll(env)) << 20;
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  const std::size_t eighth = pages > 0 && page > 0 ? std::size_t(pages) * std::size_t(page) / 8 : (1ull << 30);
  return std::min<std::size_t>(eighth, 1ull << 30);
}

struct Cache {
  std::mutex m;
  std::map<std::size_t, std::vector<void*>> free;  // size class -> cached blocks (ordered: eviction looks up and down)
  std::size_t cap = default_cap();
  CacheStats stats;

  void note_peaks() {
    stats.peak_live = std::max(stats.peak_live, stats.live);
    stats.peak_footprint = std::max(stats.peak_footprint, stats.live + stats.held);
  }
  void drop(std::map<std::size_t, std::vector<void*>>::iterator it) {
    std::free(it->second.back());
    it->second.pop_back();
    stats.held -= it->first;
  }
  // Called on a miss, after `live` has grown by the request: gives back cached blocks so that live
  // + held stays within 1.5x the largest live set so far (Note [Storage cache]): one block of the
  // smallest class that covers the excess, else blocks of the largest classes until it is covered.
  void evict_excess() {
    const std::size_t bound = stats.peak_live + stats.peak_live / 2;
    if (stats.live + stats.held <= bound) return;
    const std::size_t excess = stats.live + stats.held - bound;
    for (auto it = free.lower_bound(std::max(excess, kEvictFrom)); it != free.end(); ++it)
      if (!it->second.empty()) return drop(it);
    std::size_t freed = 0;
    for (auto it = free.rbegin(); it != free.rend() && it->first >= kEvictFrom && freed < excess; ++it)
      while (!it->second.empty() && freed < excess) {
        freed += it->first;
        drop(std::prev(it.base()));
      }
  }
};

Cache& cache() {
  static Cache* c = new Cache();  // never destroyed: tensors may be freed during static destruction
  return *c;
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kCacheEnabled = false;
#else
constexpr bool kCacheEnabled = true;
#endif

}  // namespace

bool cache_enabled() { return kCacheEnabled; }

void* cache_allocate(std::size_t bytes) {
  const std::size_t cls = size_class(bytes);
  if (kCacheEnabled) {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.m);
    c.stats.live += cls;
    auto it = c.free.find(cls);
    if (it != c.free.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      c.stats.held -= cls;
      ++c.stats.hits;
      c.note_peaks();
      return p;
    }
    ++c.stats.misses;
    c.stats.peak_live = std::max(c.stats.peak_live, c.stats.live);
    if (cls >= kEvictFrom) c.evict_excess();
    c.note_peaks();
  }
  void* p = std::aligned_alloc(kAlign, cls);
  if (!p) {
    cache_release_all();  // give the cached blocks back and try once more
    p = std::aligned_alloc(kAlign, cls);
    if (!p) {
      if (kCacheEnabled) {
        Cache& c = cache();
        std::lock_guard<std::mutex> lock(c.m);
        c.stats.live -= cls;
      }
      throw std::bad_alloc();
    }
  }
  return p;
}

void cache_free(void* p, std::size_t bytes) {
  if (!p) return;
  const std::size_t cls = size_class(bytes);
  if (kCacheEnabled) {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.m);
    c.stats.live -= cls;
    if (c.stats.held + cls <= c.cap) {
      c.free[cls].push_back(p);
      c.stats.held += cls;
      return;
    }
  }
  std::free(p);
}

CacheStats cache_stats() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.m);
  return c.stats;
}

void cache_release_all() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.m);
  for (auto& [cls, blocks] : c.free)
    for (void* p : blocks) std::free(p);
  c.free.clear();
  c.stats.held = 0;
  c.stats.peak_live = c.stats.peak_footprint = c.stats.live;
}

}  // namespace l2
