// Note [Storage cache]
// Training allocates and frees the same large tensors at every step (a [512, 200, 200] attention
// tensor is 82 MB). glibc hands blocks that large to the kernel on free and maps fresh ones on the
// next allocation, and the kernel zeroes every page on first touch: measured on SASRec at the
// paper's setting, page faults and page clearing took a third of the step. Freed storage blocks
// are therefore kept in size classes (powers of two split into quarters: at most 25% slack) and
// handed out again, up to a cap on the cached bytes (L2AUG_CACHE_MB, default an eighth of the
// physical memory, at most 1 GiB). Sanitizer builds bypass the cache so that AddressSanitizer
// still sees every use after free.
//
// Blocks kept for one size class are useless to another, so a cache that only grows ends up
// holding, for every class, the most blocks of it ever live at once: on GRU4Rec at the paper's
// setting that was 0.2 GB above the largest live set, which PyTorch's CPU allocator (plain malloc)
// never exceeds. So a request that misses first gives back as many cached blocks as it takes for
// the footprint (live + cached bytes) to stay within the largest live set so far: cached blocks
// then only ever occupy memory that the program's own peak needs anyway, and a training loop,
// which repeats the same requests every step, still finds most of its blocks in the cache.
// (Requests under 1 MiB do not evict: glibc keeps blocks that small in its heap either way.)
#pragma once

#include <cstddef>

namespace l2 {

// 64-byte aligned block of at least `bytes` bytes (uninitialised).
void* cache_allocate(std::size_t bytes);
void cache_free(void* p, std::size_t bytes);  // `bytes` as given to cache_allocate

struct CacheStats {
  std::size_t live = 0;            // bytes handed out and not yet freed (in size-class bytes)
  std::size_t held = 0;            // bytes kept for reuse
  std::size_t peak_live = 0;       // largest `live` so far
  std::size_t peak_footprint = 0;  // largest live + held so far
  std::size_t hits = 0, misses = 0;
};
CacheStats cache_stats();
bool cache_enabled();  // false in sanitizer builds
// Drops every cached block (and resets the peaks to the current values).
void cache_release_all();

}  // namespace l2
