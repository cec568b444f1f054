// Fuzz target: an experiment configuration (`l2aug experiment --config FILE`): read, expanded into
// its cells, and every cell's settings resolved, as the runner does before it trains anything.
#include "fuzz_util.h"
#include "l2aug/app/experiment_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = l2::fuzz::write_input("experiment.json", l2::fuzz::as_view(data, size));
  l2::fuzz::expect_only_errors([&] {
    const auto experiment = l2::app::ExperimentConfig::load(path.string());
    experiment.gridded_groups();
    for (const auto& cell : experiment.phase1_cells()) l2::app::resolve_cell_settings(cell, experiment);
  });
  return 0;
}
