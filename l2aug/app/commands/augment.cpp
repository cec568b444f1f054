// `l2aug augment`: runs a trained L2Aug policy (policy.ckpt from `treat --treatment l2aug`) over
// core users' training sequences and dumps what it does, so that a user can inspect the learned
// policy: per sequence the original items, the action taken on each, and the result (raw ids).
#include <cstdio>
#include <fstream>
#include <sstream>

#include "l2aug/app/cli.h"
#include "l2aug/app/commands/commands.h"
#include "l2aug/app/data_options.h"
#include "l2aug/app/model_options.h"
#include "l2aug/app/policy_profile.h"
#include "l2aug/method/algorithm1.h"
#include "l2aug/method/augmentor.h"
#include "l2aug/method/reinforce.h"
#include "nn/checkpoint.h"
#include "recsys/checkpoint_json.h"
#include "recsys/data/batch.h"

namespace l2::app::commands {

int augment(int argc, const char* const* argv, int first) {
  Command cmd("augment", "Apply a trained L2Aug policy to core users' training sequences and dump the edits.");
  cmd.option("policy", "FILE", "policy.ckpt written by 'treat --treatment l2aug'")
      .option("dump", "FILE", "where the edits go (tab-separated: user, original items, actions, augmented items)")
      .option("profile", "FILE", "write the policy's profile (JSON): p(edit) by popularity decile, position, continuity")
      .option("users", "N", "how many core users (0 = all)", "100")
      .option("seed", "N", "seed of the sampled actions", "1")
      .flag("greedy", "take each decision's most probable action instead of sampling");
  add_data_options(cmd);
  const Args args = cmd.parse(argc, argv, first);
  if (args.help_requested) {
    std::fputs(cmd.help().c_str(), stdout);
    return 0;
  }
  const std::string path = args.get("policy"), dump = args.get_or("dump", ""), profile = args.get_or("profile", "");
  if (dump.empty() && profile.empty()) throw UsageError("give --dump FILE, --profile FILE or both");
  const auto users = args.get_int("users");
  if (users < 0) throw UsageError("--users: expected 0 or a positive count");
  const nn::StateDict s = nn::load_checkpoint(path);
  L2_CHECK(s.has("kind") && s.get("kind") == "l2aug-policy", path << " is not an L2Aug policy file");
  method::L2AugConfig config;
  method::AugmentorConfig ac;
  std::uint64_t fingerprint = 0;
  std::string data_name;
  nn::read_checkpoint_entries(path, [&] {
    config.apply_json(recsys::checkpoint_json(s, "l2aug_config"));
    ac = config.augmentor;
    ac.maxlen = s.get_int("policy.maxlen");
    fingerprint = s.get_u64("data.fingerprint");
    data_name = s.get("data.name");
  });

  const recsys::Prepared prepared = recsys::prepare_data(data_config_from_args(args));
  const recsys::Split& split = prepared.split;
  L2_CHECK(fingerprint == split.dataset().fingerprint(), path << " was trained on other data (dataset '" << data_name << "')");
  method::Augmentor policy(ac, split.num_items());
  nn::read_checkpoint_entries(path, [&] { policy.load_state_dict(s.extract("policy.").tensors); });

  if (!profile.empty()) {
    nlohmann::json j = policy_profile(split, policy, method::parse_policy_kind(config.policy));
    j["policy"] = path;
    write_json_file(profile, j);
    std::printf("wrote %s\n", profile.c_str());
    if (dump.empty()) return 0;
  }
  std::vector<std::span<const std::int32_t>> train_spans, chosen;
  std::vector<std::int32_t> chosen_users;
  for (const recsys::SequenceRef& r : recsys::recommender_training_sequences(split)) {
    train_spans.push_back(r.items);
    if (split.group(r.user) == recsys::Group::core && (users == 0 || std::int64_t(chosen.size()) < users)) {
      chosen.push_back(r.items);
      chosen_users.push_back(r.user);
    }
  }
  const method::ItemCorrelation corr(train_spans, split.num_items());
  const method::PolicyStep step = method::run_policy(policy, chosen, &corr, args.flag("greedy"), std::uint64_t(args.get_int("seed")),
                                               0xA0, false);
  const auto& items = split.dataset().item_names();
  const auto& users_raw = split.dataset().user_names();
  std::ostringstream os;
  os << "# policy " << path << ", actions " << config.to_json()["actions"].get<std::string>() << ", "
     << (args.flag("greedy") ? "greedy" : "sampled") << "\n# user\toriginal\tactions\taugmented\n";
  std::vector<std::int64_t> counts(ac.actions.size(), 0);
  for (size_t r = 0; r < chosen.size(); ++r) {
    const method::Augmented& a = step.augmented[r];
    os << users_raw[size_t(chosen_users[r])] << "\t";
    for (size_t k = 0; k < chosen[r].size(); ++k) os << (k ? " " : "") << items[size_t(chosen[r][k])];
    os << "\t";
    for (size_t k = 0; k < chosen[r].size(); ++k) {
      const std::int64_t j = std::int64_t(k) - a.first_decided;
      os << (k ? " " : "") << (j < 0 ? "keep" : method::action_name(ac.actions[size_t(a.actions[size_t(j)])]));
      if (j >= 0) ++counts[size_t(a.actions[size_t(j)])];
    }
    os << "\t";
    for (size_t k = 0; k < a.items.size(); ++k) os << (k ? " " : "") << items[size_t(a.items[k])];
    os << "\n";
  }
  nn::write_file_atomically(dump, os.str());
  std::printf("augmented %zu core sequences; actions taken:", chosen.size());
  for (size_t j = 0; j < counts.size(); ++j) std::printf(" %s %lld", method::action_name(ac.actions[j]), (long long)counts[j]);
  std::printf("\nwrote %s\n", dump.c_str());
  return 0;
}

}  // namespace l2::app::commands
