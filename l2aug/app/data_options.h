// The data and protocol options every command that reads data accepts (--data, --format, --split,
// --cutoff, --group, ...), declared once so that stats, export, train, eval and treat agree.
#pragma once

#include <string>

#include "l2aug/app/cli.h"
#include "recsys/data/prepare.h"

namespace l2::app {

void add_data_options(Command& cmd);
// `positional_data` is the data given as a positional argument ("" if none).
recsys::DataConfig data_config_from_args(const Args& args, const std::string& positional_data = "");

}  // namespace l2::app
