#include "l2aug/app/treatment_run.h"

#include <cstdio>

#include "l2aug/app/continuity_study.h"
#include "l2aug/app/policy_profile.h"
#include "l2aug/app/results.h"
#include "l2aug/app/reward_diagnostic.h"
#include "nn/checkpoint.h"
#include "recsys/models/model_file.h"
#include "recsys/treatments/random_drop.h"

namespace l2::app {

const char* treatment_name(TreatmentKind k) {
  switch (k) {
    case TreatmentKind::none: return "none";
    case TreatmentKind::random: return "random";
    case TreatmentKind::focused: return "focused";
    case TreatmentKind::adversarial: return "adversarial";
    case TreatmentKind::l2aug: return "l2aug";
  }
  return "?";
}

TreatmentKind parse_treatment(const std::string& name) {
  for (TreatmentKind k : {TreatmentKind::none, TreatmentKind::random, TreatmentKind::focused, TreatmentKind::adversarial,
                          TreatmentKind::l2aug})
    if (name == treatment_name(k)) return k;
  L2_FAIL("unknown treatment '" << name << "' (known: none, random, focused, adversarial, l2aug)");
}

recsys::SettingsTable TreatmentSpec::settings() {
  using recsys::Limit;
  switch (kind) {
    case TreatmentKind::none: return {};
    case TreatmentKind::random: {
      const recsys::CustomField mode{[this] { return nlohmann::json(replace ? "replace" : "add"); },
                                     [this](const nlohmann::json& v) {
                                       const std::string m = v.get<std::string>();
                                       L2_CHECK(m == "add" || m == "replace",
                                                "treatment setting 'mode' must be add or replace, got '" << m << "'");
                                       replace = m == "replace";
                                     }};
      return {{"p", &p, "probability of dropping each item of a core sequence, in [0, 1) (1 with mode replace)"},
              {"mode", mode, "the dropped sequences join the originals (add) or replace them (Figure 1(c))",
               Limit::any, {"add", "replace"}}};
    }
    case TreatmentKind::focused:
      return {{"rho", &focused.rho, "weight of core users' examples (casual users': 1)"},
              {"lambda", &focused.lambda, "L2 penalty on the unfocused parameters"},
              {"lambda_focus", &focused.lambda_focus, "L2 penalty on the item rows casual users touched"}};
    case TreatmentKind::adversarial:
      return {{"hidden", &adversarial.hidden, "the adversary's hidden units", Limit::positive},
              {"lr", &adversarial.lr, "the adversary's Adagrad learning rate", Limit::positive},
              {"warmup", &adversarial.warmup, "steps of the recommender alone before the adversary starts",
               Limit::non_negative}};
    case TreatmentKind::l2aug: return l2aug.settings();
  }
  return {};
}

TreatmentSpec TreatmentSpec::parse(TreatmentKind kind, const nlohmann::json& values) {
  TreatmentSpec t;
  t.kind = kind;
  L2_CHECK(values.is_object(), "treatment settings must be a JSON object");
  if (kind == TreatmentKind::l2aug) {
    t.l2aug.apply_json(values);
    return t;
  }
  const recsys::SettingsTable table = t.settings();
  recsys::apply_settings(table, values, "treatment",
                         std::string("treatment '") + treatment_name(kind) + "' has no setting ");
  recsys::check_settings(table, "treatment");
  L2_CHECK(t.p >= 0.0f && (t.p < 1.0f || (t.replace && t.p == 1.0f)),
           "treatment setting 'p' must be in [0, 1) (or 1 with mode replace), got " << t.p);
  return t;
}

nlohmann::json TreatmentSpec::to_json() const {
  nlohmann::json j = {{"name", treatment_name(kind)}};
  if (kind == TreatmentKind::l2aug) {
    j["l2aug"] = l2aug.to_json();
  } else {
    TreatmentSpec t = *this;  // settings() points into its object
    j.update(recsys::settings_json(t.settings()));
  }
  return j;
}

std::string treatment_settings_help() {
  std::string help;
  for (TreatmentKind k :
       {TreatmentKind::random, TreatmentKind::focused, TreatmentKind::adversarial, TreatmentKind::l2aug}) {
    TreatmentSpec t;
    t.kind = k;
    const std::string title = std::string("treatment ") + treatment_name(k) + " settings (--set treatment.KEY=VALUE)";
    help += "\n";
    help += recsys::settings_help(t.settings(), title);
  }
  return help;
}

namespace {

// Trains with the given trainer, resuming from its checkpoint when asked and present.
recsys::TrainStatus train_with(recsys::Trainer& trainer, const std::filesystem::path& dir, bool resume) {
  trainer.set_checkpoint_dir(dir);
  if (resume && std::filesystem::exists(dir / "last.ckpt")) trainer.resume(dir / "last.ckpt");
  const recsys::TrainStatus s = trainer.run();
  nn::write_file_atomically((dir / "train_log.csv").string(), trainer.training_log_csv());
  return s;
}

void save_policy(const std::filesystem::path& path, method::Augmentor& policy, const method::L2AugConfig& config,
                 const recsys::Split& split) {
  nn::StateDict s;
  for (const auto& [k, t] : policy.state_dict()) s.tensors["policy." + k] = t;
  s.set("kind", "l2aug-policy");
  s.set("l2aug_config", config.to_json().dump());
  s.set_int("policy.maxlen", policy.config().maxlen);
  s.set_u64("data.fingerprint", split.dataset().fingerprint());
  s.set("data.name", split.dataset().name());
  nn::save_checkpoint(path.string(), s);
}

}  // namespace

TreatmentOutcome run_treatment(const TreatmentSpec& spec, ModelAndTraining cfg, const recsys::Split& split,
                               const recsys::DataConfig& data_config, const std::filesystem::path& out, bool resume,
                               const std::string& pretrained) {
  std::filesystem::create_directories(out);
  cfg.treatment = spec.to_json();
  TreatmentOutcome o;
  nlohmann::json reward_link;  // L2Aug: does the reward predict the validation change (reward_diagnostic.h)
  auto model = recsys::make_model(cfg.model);
  switch (spec.kind) {
    case TreatmentKind::none: {
      recsys::Trainer t(*model, split, cfg.train);
      o.status = train_with(t, out, resume);
      break;
    }
    case TreatmentKind::random: {
      recsys::RandomDropTrainer t(*model, split, cfg.train, spec.p, spec.replace);
      o.status = train_with(t, out, resume);
      break;
    }
    case TreatmentKind::focused: {
      recsys::FocusedTrainer t(*model, split, cfg.train, spec.focused);
      o.status = train_with(t, out, resume);
      break;
    }
    case TreatmentKind::adversarial: {
      recsys::AdversarialTrainer t(*model, split, cfg.train, spec.adversarial);
      o.status = train_with(t, out, resume);
      break;
    }
    case TreatmentKind::l2aug: {
      // Algorithm 1 starts from a pretrained recommender and its optimiser state.
      recsys::Trainer pre(*model, split, cfg.train);
      if (!pretrained.empty()) {
        recsys::LoadedModel loaded = recsys::load_model(pretrained);
        recsys::check_same_data(loaded, split);
        L2_CHECK(loaded.model->config().to_json() == model->config().to_json(),
                 pretrained << " holds another model configuration than the one asked for:\n  file: "
                            << loaded.model->config().to_json().dump() << "\n  asked: " << model->config().to_json().dump());
        model->load_state_dict(loaded.model->state_dict());
      } else {
        o.status = train_with(pre, out / "pretrain", resume);
        if (o.status == recsys::TrainStatus::interrupted) break;
      }
      method::L2AugTrainer l2(*model, pre.optimizer(), split, cfg.train, spec.l2aug);
      l2.set_checkpoint_dir(out);
      if (resume && std::filesystem::exists(out / "l2aug_last.ckpt")) l2.resume(out / "l2aug_last.ckpt");
      o.status = l2.run();
      nn::write_file_atomically((out / "l2aug_log.csv").string(), l2.log_csv());
      reward_link = reward_validation_link(l2.log()).to_json();
      if (o.status != recsys::TrainStatus::interrupted) {
        save_policy(out / "policy.ckpt", l2.policy(), spec.l2aug, split);
        write_json_file((out / "continuity.json").string(),
                        continuity_study(split, l2.policy(), l2.correlation(), spec.l2aug.seed));
        write_json_file((out / "policy_profile.json").string(), policy_profile(split, l2.policy(), method::parse_policy_kind(spec.l2aug.policy)));
      }
      break;
    }
  }
  o.result = run_description(cfg.to_json(), split, data_config);
  o.result["status"] = recsys::train_status_name(o.status);
  if (!reward_link.is_null()) o.result["l2aug_reward_vs_validation"] = reward_link;
  if (o.status == recsys::TrainStatus::interrupted) return o;
  if (!std::filesystem::exists(out / "best.ckpt")) recsys::save_model((out / "best.ckpt").string(), *model, split);
  o.validation = evaluate_model(*model, split, recsys::EvalSet::validation, cfg.train.eval);
  o.test = evaluate_model(*model, split, recsys::EvalSet::test, cfg.train.eval);
  o.result["validation"] = o.validation.to_json();
  o.result["test"] = o.test.to_json();
  // Per-user test ranks, for the report's breakdowns (by sequence length) and paired tests.
  std::string ranks = "user\tgroup\thistory_length\trank\n";
  for (size_t i = 0; i < o.test.users.size(); ++i) {
    const std::int32_t u = o.test.users[i];
    ranks += split.dataset().user_names()[size_t(u)] + "\t" + (split.group(u) == recsys::Group::core ? "core" : "casual") +
             "\t" + std::to_string(split.test_history(u).size()) + "\t" + std::to_string(o.test.ranks[i]) + "\n";
  }
  nn::write_file_atomically((out / "ranks_test.tsv").string(), ranks);
  write_json_file((out / "metrics.json").string(), o.result);  // last: its presence marks the run complete
  return o;
}

}  // namespace l2::app
