// Fuzz target: Amazon 2014 ratings-only CSV (user,item,rating,time), through --data's whole pipeline.
#include "fuzz_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  l2::fuzz::fuzz_one_file(data, size, "ratings_Toy.csv", l2::recsys::Format::amazon_csv);
  return 0;
}
