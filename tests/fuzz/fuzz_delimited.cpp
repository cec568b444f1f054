// Fuzz target: any delimited file with a header, the columns found from the header, through --data's whole pipeline.
#include "fuzz_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  l2::fuzz::fuzz_one_file(data, size, "toy.csv", l2::recsys::Format::delimited);
  return 0;
}
