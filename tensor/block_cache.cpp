#include "tensor/block_cache.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

namespace l2 {

namespace {

constexpr std::size_t kAlign = 64;

// The size class of a request: a multiple of 64 up to 4 KiB, then 2^k * {1, 1.25, 1.5, 1.75}.
std::size_t size_class(std::size_t bytes) {
  bytes = std::max<std::size_t>(bytes, kAlign);
  if (bytes <= 4096) return (bytes + kAlign - 1) / kAlign * kAlign;
  std::size_t p = 4096;
  while (p * 2 <= bytes) p *= 2;
  for (std::size_t q = 1; q <= 4; ++q)
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
  std::unordered_map<std::size_t, std::vector<void*>> free;
  std::size_t held = 0;
  std::size_t cap = default_cap();
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

void* cache_allocate(std::size_t bytes) {
  const std::size_t cls = size_class(bytes);
  if (kCacheEnabled) {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.m);
    auto it = c.free.find(cls);
    if (it != c.free.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      c.held -= cls;
      return p;
    }
  }
  void* p = std::aligned_alloc(kAlign, cls);
  if (!p) {
    cache_release_all();  // give the cached blocks back and try once more
    p = std::aligned_alloc(kAlign, cls);
    if (!p) throw std::bad_alloc();
  }
  return p;
}

void cache_free(void* p, std::size_t bytes) {
  if (!p) return;
  const std::size_t cls = size_class(bytes);
  if (kCacheEnabled) {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.m);
    if (c.held + cls <= c.cap) {
      c.free[cls].push_back(p);
      c.held += cls;
      return;
    }
  }
  std::free(p);
}

std::size_t cache_held_bytes() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.m);
  return c.held;
}

void cache_release_all() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.m);
  for (auto& [cls, blocks] : c.free)
    for (void* p : blocks) std::free(p);
  c.free.clear();
  c.held = 0;
}

}  // namespace l2
