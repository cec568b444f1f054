// Fuzz target: RecBole atomic .inter files (name:type header), through --data's whole pipeline.
#include "fuzz_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  l2::fuzz::fuzz_one_file(data, size, "toy.inter", l2::recsys::Format::recbole);
  return 0;
}
