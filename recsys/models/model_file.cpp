#include "recsys/models/model_file.h"

#include <map>
#include <sstream>

#include "nn/checkpoint.h"
#include "recsys/checkpoint_json.h"
#include "tensor/build_info.h"

namespace l2::recsys {

namespace {
constexpr const char* kKind = "l2aug-model";

std::string join_lines(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 1; i < v.size(); ++i) {  // index 0 is the padding entry
    s += v[i];
    s += '\n';
  }
  return s;
}

// A lower bound of the parameters of a model with this configuration (its item table and its
// largest weight matrices), computed without building it. A model file always holds at least as
// many; one whose configuration claims more is corrupt, and is refused before the model it
// describes is allocated (a few flipped bytes in "dim" could otherwise ask for terabytes).
double min_parameters(const ModelConfig& c) {
  const double d = double(c.dim);
  double n = (double(c.num_items) + 1.0) * d;  // the item table
  switch (c.kind) {
    case ModelKind::sasrec: n += double(c.maxlen) * d + double(c.blocks) * 4.0 * d * d; break;  // positions, attention, feed-forward
    case ModelKind::gru4rec: n += 3.0 * double(c.hidden) * (d + double(c.hidden)); break;     // the gates
    case ModelKind::nextitnet: n += double(c.dilations.size()) * 2.0 * double(c.kernel) * d * d; break;  // 2 convolutions
  }
  return n;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out = {""};
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

std::string protocol_of(const Split& split) {
  return split.config().describe() + " cutoff=" + std::to_string(split.cutoff());
}
}  // namespace

nn::StateDict model_state(const SequentialRecommender& model, const Split& split) {
  nn::StateDict s;
  for (const auto& [k, t] : model.state_dict()) s.tensors["model." + k] = t;
  s.set("kind", kKind);
  s.set("model_config", model.config().to_json().dump());
  s.set("build", build_facts_json());
  const Dataset& d = split.dataset();
  s.set("data.name", d.name());
  s.set_u64("data.fingerprint", d.fingerprint());
  s.set("data.protocol", protocol_of(split));
  s.set("data.item_names", join_lines(d.item_names()));
  s.set("data.user_names", join_lines(d.user_names()));
  IndexTensor offsets = IndexTensor::empty(Shape{d.num_users() + 2});
  IndexTensor items = IndexTensor::empty(Shape{d.num_interactions()});
  offsets[0] = offsets[1] = 0;
  std::int64_t k = 0;
  for (std::int32_t u = 1; u <= d.num_users(); ++u) {
    for (std::int32_t i : d.items_of(u)) items[k++] = i;
    offsets[u + 1] = std::int32_t(k);
  }
  s.indices["data.history_offsets"] = offsets;
  s.indices["data.history_items"] = items;
  return s;
}

void save_model(const std::string& path, const SequentialRecommender& model, const Split& split) {
  nn::save_checkpoint(path, model_state(model, split));
}

namespace {
// `recommend --user` reads a user's history through these tables: offsets, one per user and one
// more, from 0 to the number of stored items and never decreasing; every stored item an item id.
void check_histories(const LoadedModel& m) {
  const IndexTensor& off = m.state.index("data.history_offsets");
  const IndexTensor& items = m.state.index("data.history_items");
  const std::int64_t n = off.numel();
  bool ok = n >= std::int64_t(m.user_names.size()) + 1 && off[0] == 0 && off[n - 1] == items.numel();
  for (std::int64_t k = 1; ok && k < n; ++k) ok = off[k - 1] <= off[k];
  for (std::int64_t k = 0; ok && k < items.numel(); ++k) ok = items[k] >= 1 && size_t(items[k]) < m.item_names.size();
  L2_CHECK(ok, m.path << ": corrupt model file: its user histories do not fit its user and item tables");
}
}  // namespace

LoadedModel load_model(const std::string& path) {
  LoadedModel out;
  out.path = path;
  out.state = nn::load_checkpoint(path);
  L2_CHECK(out.state.has("kind") && out.state.get("kind") == kKind && out.state.has("model_config"),
           path << " is a checkpoint but not an l2aug model file (no model configuration in it)");
  nn::read_checkpoint_entries(path, [&] {
    const ModelConfig config = saved_model_config(out.state);
    out.item_names = split_lines(out.state.get("data.item_names"));
    out.user_names = split_lines(out.state.get("data.user_names"));
    double stored = 0.0;
    for (const auto& [name, t] : out.state.tensors)
      if (name.rfind("model.", 0) == 0) stored += double(t.numel());
    L2_CHECK(min_parameters(config) <= stored,
             path << ": corrupt model file: its configuration needs at least " << min_parameters(config)
                  << " parameters, the file holds " << stored);
    check_histories(out);
    out.model = make_model(config);
    out.model->load_state_dict(out.state.extract("model.").tensors);
  });
  return out;
}

ModelConfig saved_model_config(const nn::StateDict& s) {
  return ModelConfig::from_json(checkpoint_json(s, "model_config"));
}

void check_same_model_config(const nn::StateDict& s, const ModelConfig& now, const std::string& path) {
  const nlohmann::json saved = saved_model_config(s).to_json(), asked = now.to_json();
  L2_CHECK(saved == asked, path << " was written for another model configuration:\n  checkpoint: " << saved.dump()
                                << "\n  now:        " << asked.dump());
}

void check_same_data(const LoadedModel& loaded, const Split& split) {
  const nn::StateDict& s = loaded.state;
  const Dataset& d = split.dataset();
  L2_CHECK(s.get_u64("data.fingerprint") == d.fingerprint(),
           loaded.path << " was trained on other data: dataset '" << s.get("data.name") << "' (fingerprint "
                       << s.get("data.fingerprint") << "), but --data gives '" << d.name() << "' (fingerprint "
                       << d.fingerprint() << ")");
  L2_CHECK(s.get("data.protocol") == protocol_of(split),
           loaded.path << " was trained under another protocol: '" << s.get("data.protocol") << "', but the options give '"
                       << protocol_of(split) << "'");
}

std::vector<std::int32_t> item_ids(const LoadedModel& loaded, const std::vector<std::string>& raw) {
  const std::vector<std::string>& names = loaded.item_names;
  std::map<std::string, std::int32_t> index;
  for (size_t i = 1; i < names.size(); ++i) index.emplace(names[i], std::int32_t(i));
  std::vector<std::int32_t> ids;
  for (const std::string& r : raw) {
    auto it = index.find(r);
    L2_CHECK(it != index.end(), "unknown item id '" << r << "' (not in the data " << loaded.path << " was trained on)");
    ids.push_back(it->second);
  }
  return ids;
}

std::string item_name(const LoadedModel& loaded, std::int32_t id) {
  const std::vector<std::string>& names = loaded.item_names;
  L2_CHECK(id >= 1 && size_t(id) < names.size(), "item id " << id << " out of range");
  return names[size_t(id)];
}

std::vector<std::int32_t> user_history(const LoadedModel& loaded, const std::string& raw_user) {
  const std::vector<std::string>& names = loaded.user_names;
  for (size_t u = 1; u < names.size(); ++u)
    if (names[u] == raw_user) {
      const IndexTensor& off = loaded.state.index("data.history_offsets");
      const IndexTensor& items = loaded.state.index("data.history_items");
      return std::vector<std::int32_t>(items.data() + off[std::int64_t(u)], items.data() + off[std::int64_t(u) + 1]);
    }
  L2_FAIL("unknown user id '" << raw_user << "' (not in the data " << loaded.path << " was trained on)");
}

}  // namespace l2::recsys
