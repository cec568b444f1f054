// Writes the binary seeds of the checkpoint, model-file and cache targets into a folder per target,
// made by the code itself from a test fixture, so that no binary blob is committed:
//   make_seeds OUT_DIR FIXTURE_U_DATA
// Each file starts with the mode byte of fuzz_frame.h: 0 then the whole file, 1 then its payload.
#include <iostream>

#include "fuzz_frame.h"
#include "nn/checkpoint.h"
#include "recsys/data/cache.h"
#include "recsys/data/prepare.h"
#include "recsys/models/model_file.h"

namespace {

namespace fs = std::filesystem;
constexpr std::size_t kCheckpointHeader = 24, kCacheHeader = 32;

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The file itself (mode 0) and its payload alone (mode 1), as two seeds.
void write_seeds(const fs::path& dir, const std::string& name, const std::string& file, std::size_t header) {
  fs::create_directories(dir);
  std::ofstream(dir / (name + ".raw"), std::ios::binary) << '\0' << file;
  std::ofstream(dir / (name + ".payload"), std::ios::binary) << '\1' << file.substr(header);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: make_seeds OUT_DIR FIXTURE_U_DATA\n";
    return 2;
  }
  const fs::path out = argv[1];
  const fs::path work = l2::fuzz::temp_dir();
  try {
    l2::recsys::DataConfig data;
    data.load.data = argv[2];
    data.load.format = l2::recsys::Format::movielens;
    data.protocol.split = l2::recsys::SplitKind::leave_one_out;
    data.cache.enabled = false;
    const l2::recsys::Split split = l2::recsys::prepare_data(data).split;

    l2::nn::StateDict state;
    state.tensors["w"] = l2::Tensor::from(l2::Shape{2, 3}, {0.5f, -1.0f, 2.0f, 0.0f, 1.5f, -2.5f});
    state.indices["ids"] = l2::IndexTensor::from(l2::Shape{3}, {1, 2, 3});
    state.set("name", "seed");
    state.set_int("epoch", 3);
    l2::nn::save_checkpoint((work / "state.ckpt").string(), state);
    write_seeds(out / "fuzz_checkpoint", "state", read_all(work / "state.ckpt"), kCheckpointHeader);

    for (const auto kind : {l2::recsys::ModelKind::sasrec, l2::recsys::ModelKind::gru4rec,
                            l2::recsys::ModelKind::nextitnet}) {
      auto config = l2::recsys::ModelConfig::defaults(kind);
      config.num_items = split.num_items();
      config.dim = config.hidden = 4;
      config.maxlen = 8;
      config.blocks = 1;
      config.dilations = {1, 2};
      const std::string name = l2::recsys::model_kind_name(kind);
      l2::recsys::save_model((work / (name + ".ckpt")).string(), *l2::recsys::make_model(config), split);
      write_seeds(out / "fuzz_model_file", name, read_all(work / (name + ".ckpt")), kCheckpointHeader);
      write_seeds(out / "fuzz_checkpoint", name, read_all(work / (name + ".ckpt")), kCheckpointHeader);
    }

    l2::recsys::write_cache(work / "toy.l2data", "fuzz", split);
    write_seeds(out / "fuzz_cache", "toy", read_all(work / "toy.l2data"), kCacheHeader);
  } catch (const std::exception& e) {
    std::cerr << "make_seeds: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
