#include "l2aug/app/results.h"

#include "tensor/build_info.h"

namespace l2::app {

void stamp_build(nlohmann::json& j) {
  j["build"] = nlohmann::json::parse(build_facts_json());
  if (built_from_modified_tree()) j["warning"] = modified_tree_warning();
}

nlohmann::json run_description(const nlohmann::json& config, const recsys::Split& split,
                               const recsys::DataConfig& data_config) {
  const recsys::Dataset& d = split.dataset();
  nlohmann::json groups;
  for (auto g : {recsys::Group::casual, recsys::Group::core}) {
    const recsys::GroupCounts& c = split.counts(g);
    groups[g == recsys::Group::core ? "core" : "casual"] = {
        {"users", c.users}, {"validation", c.validation}, {"test", c.test}, {"meta", c.meta}};
  }
  nlohmann::json j = {{"schema", kResultSchema},
          {"config", config},
          {"data",
           {{"name", d.name()},
            {"source", data_config.load.data},
            {"fingerprint", std::to_string(d.fingerprint())},
            {"users", d.num_users()},
            {"items", d.num_items()},
            {"interactions", d.num_interactions()},
            {"protocol", split.config().describe()},
            {"cutoff", split.cutoff()},
            {"cutoff_origin", split.cutoff_origin()},
            {"groups", groups}}}};
  stamp_build(j);
  return j;
}

recsys::EvalResult evaluate_model(recsys::SequentialRecommender& model, const recsys::Split& split, recsys::EvalSet set,
                                  recsys::EvalOptions options) {
  model.eval();
  options.maxlen = model.config().maxlen;
  const recsys::SequentialRecommender& m = model;
  return recsys::evaluate([&](const recsys::EvalBatch& b) { return m.score_all_last(b.items, b.positions); }, split,
                          set, options);
}

}  // namespace l2::app
