// Fuzz target: the checkpoint reader (nn::load_checkpoint), raw or behind a valid frame (fuzz_frame.h).
#include "fuzz_frame.h"
#include "nn/checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = l2::fuzz::framed_input("model.ckpt", data, size, l2::fuzz::checkpoint_frame);
  l2::fuzz::expect_only_errors([&] { l2::nn::load_checkpoint(path.string()); });
  return 0;
}
