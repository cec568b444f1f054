// Configuration of the three target models of the L2Aug paper (Section 5.1, Appendix A.2). Which
// setting wins where sources differ: the paper's settings override the originals (embedding width
// 100, maximum length 200, one item table shared for input and output scoring, binary
// cross-entropy with one negative); layer structure, initialisation and dropout follow each
// original (docs/model-specs.md); where the paper is silent, the original repository's default. The
// README's model table lists every default with its source.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/module.h"
#include "recsys/settings.h"

namespace l2::recsys {

enum class ModelKind { sasrec, gru4rec, nextitnet };
// Where GRU4Rec applies model.dropout: on the GRU's output states (GRU4Rec_TensorFlow's
// output_keep_prob, the default) or on the item embeddings fed to the GRU (RecBole's GRU4Rec).
enum class GruDropout { output, input };
// How GRU4Rec initialises its GRU and projection (the item table and the projection's weight are
// the init scheme's in both): per_gate (the default) draws each gate's [in, H] block as its own
// matrix with zero biases, as GRU4Rec_TensorFlow; pytorch draws each whole [in, 3H] GRU matrix
// (torch's xavier_uniform_ on nn.GRU's weights) and leaves the biases at PyTorch's defaults,
// U(±1/sqrt(hidden)) for the GRU's and the projection's (nn.GRU, nn.Linear).
enum class GruInit { per_gate, pytorch };
const char* model_kind_name(ModelKind k);
ModelKind parse_model_kind(const std::string& name);  // throws naming the known models

struct ModelConfig {
  ModelKind kind = ModelKind::sasrec;
  std::int32_t num_items = 0;  // V: item ids 1..V, the table has V + 1 rows (row 0 = padding)
  std::int64_t dim = 100;      // item embedding width (paper, Section 5.1)
  std::int64_t maxlen = 200;   // maximum sequence length (paper, Section 5.1)
  float dropout = 0.5f;
  // SASRec
  std::int64_t blocks = 2, heads = 1;  // paper, Appendix A.2
  // GRU4Rec
  std::int64_t hidden = 100;  // one GRU layer of 100 units (paper, Appendix A.2)
  GruDropout dropout_at = GruDropout::output;
  GruInit gru_init = GruInit::per_gate;
  // NextItNet: one residual block per dilation d (convolutions with dilations d and 2d)
  std::vector<std::int64_t> dilations = {1, 2, 1, 2, 1, 2, 1, 2};
  std::int64_t kernel = 3;
  float layer_norm_eps = 1e-8f;
  nn::Init init;
  std::uint64_t seed = 1;  // initialisation and dropout

  // The defaults of one model (see the README's model table).
  static ModelConfig defaults(ModelKind kind);
  // Every key of the JSON form, its meaning and range; the entries point into this object.
  SettingsTable settings();
  nlohmann::json to_json() const;
  // Starts from defaults(kind) and applies the keys present; unknown keys are errors naming the key.
  static ModelConfig from_json(const nlohmann::json& j);
  // Applies one "key=value" setting (the CLI's --set); throws naming the key.
  void set(const std::string& key, const std::string& value);

 private:
  void check();
};

}  // namespace l2::recsys
