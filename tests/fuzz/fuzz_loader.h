// The body of the loader targets: the input is one data file with a given name, run through the
// whole pipeline a user's --data goes through (format detection, loader, Dataset, the protocol;
// no cache), strictly and, when that fails, with --skip-malformed.
#pragma once

#include "fuzz_util.h"
#include "recsys/data/prepare.h"

namespace l2::fuzz {

inline void prepare_both_ways(const std::filesystem::path& data, std::optional<recsys::Format> format) {
  recsys::DataConfig config;
  config.load.data = data.string();
  config.load.format = format;
  config.cache.enabled = false;
  try {
    recsys::prepare_data(config);
    return;
  } catch (const l2::Error&) {
  }
  config.load.skip_malformed = true;
  expect_only_errors([&] { recsys::prepare_data(config); });
}

inline void fuzz_one_file(const std::uint8_t* data, std::size_t size, const std::string& name,
                          std::optional<recsys::Format> format) {
  prepare_both_ways(write_input(name, as_view(data, size)), format);
}

}  // namespace l2::fuzz
