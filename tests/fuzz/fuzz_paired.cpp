// Fuzz target: the paired sequence files (*_item_org_rank.txt + *_time_org_rank.txt), read in
// lockstep. The input is the items file, a line "----", then the times file.
#include "fuzz_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in = l2::fuzz::as_view(data, size);
  constexpr std::string_view kSeparator = "\n----\n";
  const std::size_t at = in.find(kSeparator);
  const std::string_view items = in.substr(0, at);
  const std::string_view times = at == std::string_view::npos ? std::string_view() : in.substr(at + kSeparator.size());
  l2::fuzz::write_input("toy_time_org_rank.txt", times);
  l2::fuzz::prepare_both_ways(l2::fuzz::write_input("toy_item_org_rank.txt", items), l2::recsys::Format::paired);
  return 0;
}
