// The data and protocol options every command that reads data accepts (--data, --format, --split,
// --cutoff, --group, ...), declared once so that stats, export, train, eval and treat agree.
#pragma once

#include <string>

#include "l2aug/cli.h"
#include "recsys/data/prepare.h"

namespace l2::commands {

void add_data_options(cli::Command& cmd);
// `positional_data` is the data given as a positional argument ("" if none).
recsys::DataConfig data_config_from_args(const cli::Args& args, const std::string& positional_data = "");

}  // namespace l2::commands
