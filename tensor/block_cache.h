// Note [Storage cache]
// Training allocates and frees the same large tensors at every step (activations, their gradients
// and kernels' scratch buffers, many MB each). glibc hands blocks that large to the kernel on free
// and maps fresh ones on the next allocation, and the kernel zeroes every page on first touch: on
// SASRec at the paper's setting, page faults and page clearing took a third of the step
// (bench/RESULTS.md, "Design measurements behind kernel choices"). Freed storage blocks
// are therefore kept in size classes (powers of two split into quarters: at most 25% slack) and
// handed out again, up to a cap on the cached bytes (L2AUG_CACHE_MB, default an eighth of the
// physical memory, at most 1 GiB). Sanitizer builds bypass the cache so that AddressSanitizer
// still sees every use after free.
//
// Blocks kept for one size class are useless to another, so a cache that only grows ends up
// holding, for every class, the most blocks of it ever live at once, well above the largest live
// set. So a request that misses first gives back cached blocks until the footprint (live + cached
// bytes) is within 1.5x the largest live set so far. The slack is what a training step needs to
// find all its blocks in the cache: held to the live peak itself, a GRU4Rec step still missed
// blocks every step, each mapped and zeroed again by the kernel, and ran markedly slower.
// (Requests under 1 MiB do not evict: glibc keeps blocks that small in its heap either way.)
#pragma once

#include <cstddef>

namespace l2 {

// 64-byte aligned block of at least `bytes` bytes (uninitialised).
void* cache_allocate(std::size_t bytes);
void cache_free(void* p, std::size_t bytes);  // `bytes` as given to cache_allocate

// Uninitialised floats from the cache, for a kernel's temporary buffer: a buffer of a few MB
// taken from malloc on every call would be mapped and zeroed by the kernel on every call.
class ScratchFloats {
 public:
  explicit ScratchFloats(std::size_t n) : n_(n), p_(static_cast<float*>(cache_allocate(n * sizeof(float)))) {}
  ~ScratchFloats() { cache_free(p_, n_ * sizeof(float)); }
  ScratchFloats(const ScratchFloats&) = delete;
  ScratchFloats& operator=(const ScratchFloats&) = delete;
  float* data() const { return p_; }

 private:
  std::size_t n_;
  float* p_;
};

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
