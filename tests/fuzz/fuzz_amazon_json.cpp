// Fuzz target: Amazon review JSON lines (2014 and 2018), through --data's whole pipeline.
#include "fuzz_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  l2::fuzz::fuzz_one_file(data, size, "reviews_Toy_5.json", l2::recsys::Format::amazon_json);
  return 0;
}
