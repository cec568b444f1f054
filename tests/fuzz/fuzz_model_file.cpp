// Fuzz target: a trained-model file (`l2aug eval|recommend --checkpoint FILE`): the checkpoint,
// then the model rebuilt from its configuration and its parameters, ids and histories checked
// (recsys::load_model), raw or behind a valid frame (fuzz_frame.h).
#include "fuzz_frame.h"
#include "recsys/models/model_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = l2::fuzz::framed_input("best.ckpt", data, size, l2::fuzz::checkpoint_frame);
  l2::fuzz::expect_only_errors([&] {
    const auto loaded = l2::recsys::load_model(path.string());
    if (loaded.user_names.size() > 1) l2::recsys::user_history(loaded, loaded.user_names[1]);
  });
  return 0;
}
