// Fuzz target: MovieLens 100K u.data (tab-separated, no header), through --data's whole pipeline.
#include "fuzz_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  l2::fuzz::fuzz_one_file(data, size, "u.data", l2::recsys::Format::movielens);
  return 0;
}
