// Fuzz target: MovieLens 1M/10M ratings.dat ("::"-separated), through --data's whole pipeline.
#include "fuzz_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  l2::fuzz::fuzz_one_file(data, size, "ratings.dat", l2::recsys::Format::movielens_dat);
  return 0;
}
