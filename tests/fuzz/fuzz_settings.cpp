// Fuzz target: a settings file (`l2aug train|treat --config FILE`: {"model": {...}, "train": {...},
// "treatment": {...}}), read for each model as the commands read it, its treatment section parsed
// for each treatment (which covers the L2Aug settings of Algorithm 1).
#include "fuzz_util.h"
#include "l2aug/app/model_options.h"
#include "l2aug/app/treatment_run.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = l2::fuzz::write_input("settings.json", l2::fuzz::as_view(data, size));
  static const l2::app::Command command = [] {
    l2::app::Command c("train", "fuzzed settings");
    l2::app::add_model_options(c);
    return c;
  }();
  for (const char* model : {"sasrec", "gru4rec", "nextitnet"}) {
    const char* argv[] = {"l2aug", "train", "--model", model, "--config", path.c_str()};
    l2::fuzz::expect_only_errors([&] {
      const auto cfg = l2::app::model_config_from_args(command.parse(6, argv, 2), 100);
      for (auto kind : {l2::app::TreatmentKind::none, l2::app::TreatmentKind::random,
                        l2::app::TreatmentKind::focused, l2::app::TreatmentKind::adversarial,
                        l2::app::TreatmentKind::l2aug})
        l2::fuzz::expect_only_errors([&] { l2::app::TreatmentSpec::parse(kind, cfg.treatment); });
    });
  }
  return 0;
}
