// Fuzz target: Goodreads JSON lines (user_id, book_id, date_added), through --data's whole pipeline.
#include "fuzz_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  l2::fuzz::fuzz_one_file(data, size, "goodreads_interactions_toy.json", l2::recsys::Format::goodreads);
  return 0;
}
