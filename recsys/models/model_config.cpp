#include "recsys/models/model_config.h"

#include <sstream>

#include "recsys/json_int.h"
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

nlohmann::json ModelConfig::to_json() const {
  return {{"model", model_kind_name(kind)}, {"num_items", num_items}, {"dim", dim}, {"maxlen", maxlen},
          {"dropout", dropout}, {"blocks", blocks}, {"heads", heads}, {"hidden", hidden}, {"dilations", dilations},
          {"kernel", kernel}, {"layer_norm_eps", layer_norm_eps}, {"init", init_name(init.scheme)},
          {"init_std", init.std}, {"seed", seed}};
}

ModelConfig ModelConfig::from_json(const nlohmann::json& j) {
  L2_CHECK(j.is_object(), "model configuration must be a JSON object");
  ModelConfig c = defaults(j.contains("model") ? parse_model_kind(j.at("model").get<std::string>()) : ModelKind::sasrec);
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const nlohmann::json& v = it.value();
    try {
      if (k == "model") continue;
      if (k == "num_items") c.num_items = json_int<std::int32_t>(v);
      else if (k == "dim") c.dim = json_int<std::int64_t>(v);
      else if (k == "maxlen") c.maxlen = json_int<std::int64_t>(v);
      else if (k == "dropout") c.dropout = v.get<float>();
      else if (k == "blocks") c.blocks = json_int<std::int64_t>(v);
      else if (k == "heads") c.heads = json_int<std::int64_t>(v);
      else if (k == "hidden") c.hidden = json_int<std::int64_t>(v);
      else if (k == "dilations") c.dilations = json_ints<std::int64_t>(v);
      else if (k == "kernel") c.kernel = json_int<std::int64_t>(v);
      else if (k == "layer_norm_eps") c.layer_norm_eps = v.get<float>();
      else if (k == "init") c.init.scheme = parse_init(v.get<std::string>());
      else if (k == "init_std") c.init.std = v.get<float>();
      else if (k == "seed") c.seed = json_int<std::uint64_t>(v);
      else L2_FAIL("unknown model setting '" << k << "'");
    } catch (const nlohmann::json::exception& e) {
      L2_FAIL("model setting '" << k << "': " << e.what());
    }
  }
  L2_CHECK(c.dim > 0 && c.maxlen > 0 && c.blocks >= 0 && c.heads > 0 && c.hidden > 0 && c.kernel > 0,
           "model settings must be positive: " << c.to_json().dump());
  L2_CHECK(c.dropout >= 0.0f && c.dropout < 1.0f, "model setting 'dropout': " << c.dropout << " outside [0, 1)");
  L2_CHECK(c.kind != ModelKind::sasrec || c.dim % c.heads == 0,
           "model setting 'heads': dim " << c.dim << " is not divisible by " << c.heads << " heads");
  for (auto d : c.dilations) L2_CHECK(d > 0, "model setting 'dilations': " << d << " is not positive");
  return c;
}

void ModelConfig::set(const std::string& key, const std::string& value) {
  nlohmann::json j = to_json();
  nlohmann::json v;
  try {
    v = nlohmann::json::parse(value);  // numbers, lists, quoted strings
  } catch (const nlohmann::json::exception&) {
    v = value;  // a bare word: a string
  }
  L2_CHECK(j.contains(key), "unknown model setting '" << key << "'");
  j[key] = v;
  *this = from_json(j);
}

}  // namespace l2::recsys
