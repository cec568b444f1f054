// A treatment run end to end: one model, one dataset, one treatment with its settings (Section
// 5.1): the untreated model ("none"), the three baselines (random, focused, adversarial) and
// L2Aug. Used by `l2aug treat` and by every cell of `l2aug experiment`.
//
// Note [Fair comparison]
// Every treatment, the untreated model included, selects its stopping point on the same
// criterion, the validation NDCG@10 of casual users (train.criterion_group = casual), and trains
// with the same settings otherwise. Random, Focused and Adversarial train from scratch; L2Aug
// starts from the pretrained untreated model (Algorithm 1's input), which it trains first unless
// one is given, and its own early stopping keeps the pretrained model if augmentation never
// helps on validation.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "l2aug/app/model_options.h"
#include "l2aug/method/algorithm1.h"
#include "recsys/data/prepare.h"
#include "recsys/treatments/adversarial.h"
#include "recsys/treatments/focused.h"

namespace l2::app {

enum class TreatmentKind { none, random, focused, adversarial, l2aug };
const char* treatment_name(TreatmentKind k);
TreatmentKind parse_treatment(const std::string& name);  // throws naming the known treatments

struct TreatmentSpec {
  TreatmentKind kind = TreatmentKind::none;
  float p = 0.5f;  // random: the drop rate
  bool replace = false;  // random: dropped core sequences replace the originals (Figure 1(c)) instead of joining them
  recsys::FocusedOptions focused;
  recsys::AdversarialOptions adversarial;
  method::L2AugConfig l2aug;

  // Parses the treatment's settings (the "treatment" section / treatment.* keys); a key the
  // treatment does not have is an error naming it.
  static TreatmentSpec parse(TreatmentKind kind, const nlohmann::json& values);
  // The settings of this kind of treatment (l2aug: the L2Aug settings); the entries point into
  // this object.
  recsys::SettingsTable settings();
  nlohmann::json to_json() const;  // the treatment's name and its settings (l2aug's under "l2aug")
};

// Every treatment's settings with their meaning and defaults, for --help.
std::string treatment_settings_help();

struct TreatmentOutcome {
  recsys::TrainStatus status = recsys::TrainStatus::converged;
  recsys::EvalResult validation, test;
  nlohmann::json result;  // what metrics.json holds
};

// Trains and evaluates; writes under `out`: best.ckpt, the training log(s), metrics.json (and for
// L2Aug, pretrain/ with the untreated model, l2aug_log.csv and policy.ckpt). With `resume`,
// continues from the checkpoints there. `pretrained` (L2Aug only) replaces the pretraining.
TreatmentOutcome run_treatment(const TreatmentSpec& spec, ModelAndTraining cfg, const recsys::Split& split,
                               const recsys::DataConfig& data_config, const std::filesystem::path& out, bool resume,
                               const std::string& pretrained = "");

}  // namespace l2::app
