// Note [Storage cache]
// Training allocates and frees the same large tensors at every step (a [512, 200, 200] attention
// tensor is 82 MB). glibc hands blocks that large to the kernel on free and maps fresh ones on the
// next allocation, and the kernel zeroes every page on first touch: measured on SASRec at the
// paper's setting, page faults and page clearing took a third of the step. Freed storage blocks
// are therefore kept in size classes (powers of two split into quarters: at most 25% slack) and
// handed out again, up to a cap on the cached bytes (L2AUG_CACHE_MB, default an eighth of the
// physical memory, at most 1 GiB: enough for one training step's temporaries at the paper's
// setting, small enough not to inflate the peak memory). Sanitizer builds bypass the cache so that AddressSanitizer
// still sees every use after free.
#pragma once

#include <cstddef>

namespace l2 {

// 64-byte aligned block of at least `bytes` bytes (uninitialised).
void* cache_allocate(std::size_t bytes);
void cache_free(void* p, std::size_t bytes);  // `bytes` as given to cache_allocate
// Bytes held in the cache now, and drops them all.
std::size_t cache_held_bytes();
void cache_release_all();

}  // namespace l2
