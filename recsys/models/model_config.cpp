#include "recsys/models/model_config.h"

#include "tensor/check.h"

namespace l2::recsys {

const char* model_kind_name(ModelKind k) {
  switch (k) {
    case ModelKind::sasrec: return "sasrec";
    case ModelKind::gru4rec: return "gru4rec";
    case ModelKind::nextitnet: return "nextitnet";
  }
  return "?";
}

ModelKind parse_model_kind(const std::string& name) {
  for (ModelKind k : {ModelKind::sasrec, ModelKind::gru4rec, ModelKind::nextitnet})
    if (name == model_kind_name(k)) return k;
  L2_FAIL("unknown model '" << name << "' (known: sasrec, gru4rec, nextitnet)");
}

namespace {
const char* init_name(nn::Init::Scheme s) {
  switch (s) {
    case nn::Init::XavierUniform: return "xavier_uniform";
    case nn::Init::XavierNormal: return "xavier_normal";
    case nn::Init::Normal: return "normal";
    case nn::Init::TruncatedNormal: return "truncated_normal";
  }
  return "?";
}
nn::Init::Scheme parse_init(const std::string& s) {
  for (auto k : {nn::Init::XavierUniform, nn::Init::XavierNormal, nn::Init::Normal, nn::Init::TruncatedNormal})
    if (s == init_name(k)) return k;
  L2_FAIL("unknown init scheme '" << s << "' (known: xavier_uniform, xavier_normal, normal, truncated_normal)");
}
const char* gru_dropout_name(GruDropout d) { return d == GruDropout::input ? "input" : "output"; }
GruDropout parse_gru_dropout(const std::string& s) {
  for (auto d : {GruDropout::output, GruDropout::input})
    if (s == gru_dropout_name(d)) return d;
  L2_FAIL("unknown GRU4Rec dropout placement '" << s << "' (known: output, input)");
}
const char* gru_init_name(GruInit g) { return g == GruInit::pytorch ? "pytorch" : "per_gate"; }
GruInit parse_gru_init(const std::string& s) {
  for (auto g : {GruInit::per_gate, GruInit::pytorch})
    if (s == gru_init_name(g)) return g;
  L2_FAIL("unknown GRU4Rec initialisation '" << s << "' (known: per_gate, pytorch)");
}
}  // namespace

ModelConfig ModelConfig::defaults(ModelKind kind) {
  ModelConfig c;
  c.kind = kind;
  switch (kind) {
    case ModelKind::sasrec:
      c.dropout = 0.5f;  // kang205/SASRec main.py default, and the SASRec paper's rate for the Amazon sets
      c.init.scheme = nn::Init::XavierUniform;  // TF glorot_uniform, the original's default
      break;
    case ModelKind::gru4rec:
      c.dropout = 0.5f;  // GRU4Rec_TensorFlow --dropout 0.5 on the GRU output
      c.init.scheme = nn::Init::XavierUniform;  // uniform ±sqrt(6/(fan_in+fan_out)) as the original
      break;
    case ModelKind::nextitnet:
      c.dropout = 0.0f;  // the original has none
      c.init.scheme = nn::Init::TruncatedNormal;  // truncated_normal(0.02) in the original
      c.init.std = 0.02f;
      break;
  }
  return c;
}

SettingsTable ModelConfig::settings() {
  const CustomField model{[this] { return nlohmann::json(model_kind_name(kind)); },
                          [this](const nlohmann::json& v) { kind = parse_model_kind(v.get<std::string>()); }};
  const CustomField scheme{[this] { return nlohmann::json(init_name(init.scheme)); },
                           [this](const nlohmann::json& v) { init.scheme = parse_init(v.get<std::string>()); }};
  const CustomField dropout_at_field{
      [this] { return nlohmann::json(gru_dropout_name(dropout_at)); },
      [this](const nlohmann::json& v) { dropout_at = parse_gru_dropout(v.get<std::string>()); }};
  const CustomField gru_init_field{[this] { return nlohmann::json(gru_init_name(gru_init)); },
                                   [this](const nlohmann::json& v) { gru_init = parse_gru_init(v.get<std::string>()); }};
  return {
      {"model", model, "the recommender (--model)", Limit::any, {"sasrec", "gru4rec", "nextitnet"}},
      {"num_items", &num_items, "items in the data, ids 1..num_items (set from the data)"},
      {"dim", &dim, "item embedding width", Limit::positive},
      {"maxlen", &maxlen, "longest sequence the model reads (the most recent items)", Limit::positive},
      {"dropout", &dropout, "dropout rate", Limit::fraction},
      {"blocks", &blocks, "SASRec: self-attention blocks", Limit::non_negative},
      {"heads", &heads, "SASRec: attention heads (dividing dim)", Limit::positive},
      {"hidden", &hidden, "GRU4Rec: GRU units", Limit::positive},
      {"dropout_at", dropout_at_field,
       "GRU4Rec: where dropout applies, output (the GRU's states, the original) or input (the item embeddings)",
       Limit::any, {"output", "input"}},
      {"gru_init", gru_init_field,
       "GRU4Rec: per_gate (the init scheme over each gate's block, zero biases, the original) or pytorch (over each "
       "whole GRU matrix, GRU and projection biases U(±1/sqrt(hidden)), as torch's nn.GRU/nn.Linear)",
       Limit::any, {"per_gate", "pytorch"}},
      {"dilations", &dilations, "NextItNet: one residual block per dilation d (convolutions with d and 2d)",
       Limit::positive},
      {"kernel", &kernel, "NextItNet: convolution width", Limit::positive},
      {"layer_norm_eps", &layer_norm_eps, "SASRec, NextItNet: layer-norm epsilon"},
      {"init", scheme, "initialisation of the weights", Limit::any,
       {"xavier_uniform", "xavier_normal", "normal", "truncated_normal"}},
      {"init_std", &init.std, "standard deviation of init normal and truncated_normal"},
      {"seed", &seed, "seed of the initialisation and dropout"},
  };
}

nlohmann::json ModelConfig::to_json() const {
  ModelConfig c = *this;  // settings() points into its object
  return settings_json(c.settings());
}

ModelConfig ModelConfig::from_json(const nlohmann::json& j) {
  L2_CHECK(j.is_object(), "model configuration must be a JSON object");
  ModelConfig c = defaults(j.contains("model") ? parse_model_kind(j.at("model").get<std::string>()) : ModelKind::sasrec);
  apply_settings(c.settings(), j, "model");
  c.check();
  return c;
}

void ModelConfig::check() {
  check_settings(settings(), "model");
  L2_CHECK(kind != ModelKind::sasrec || dim % heads == 0,
           "model setting 'heads': dim " << dim << " is not divisible by " << heads << " heads");
}

void ModelConfig::set(const std::string& key, const std::string& value) {
  ModelConfig c = *this;  // applied to a copy: a rejected setting leaves this configuration as it was
  apply_settings(c.settings(), nlohmann::json{{key, setting_value(value)}}, "model");
  c.check();
  *this = c;
}

}  // namespace l2::recsys
