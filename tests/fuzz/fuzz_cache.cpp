// Fuzz target: the processed-data cache reader (recsys::read_cache), raw or behind a valid frame
// (fuzz_frame.h). The seeds are caches written under the key "fuzz" (make_seeds.cpp).
#include "fuzz_frame.h"
#include "recsys/data/cache.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = l2::fuzz::framed_input("toy.l2data", data, size, l2::fuzz::cache_frame);
  l2::fuzz::expect_only_errors([&] {
    std::string why;
    l2::recsys::read_cache(path, "fuzz", &why);
  });
  return 0;
}
