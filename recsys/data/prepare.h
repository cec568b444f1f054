// From `--data` to a ready Split: resolve the source (file, folder or synthetic spec), load it,
// build the Dataset, apply the protocol, through the processed-dataset cache (cache.h). This is
// the one entry point the train/eval/treat commands use; DataConfig is everything that decides
// the result, and every field of it is part of the cache key.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "recsys/data/cache.h"
#include "recsys/data/dataset.h"
#include "recsys/data/loaders.h"
#include "recsys/data/split.h"

namespace l2::recsys {

struct CacheConfig {
  std::filesystem::path dir;  // empty = default_cache_dir()
  bool enabled = true;
};

struct DataConfig {
  LoadConfig load;
  DatasetConfig dataset;
  ProtocolConfig protocol;
  CacheConfig cache;
};

struct Prepared {
  Split split;
  std::string cache_status;  // "hit", "miss (written)", "rebuilt (corrupt: ...)", "off", ...
  std::filesystem::path cache_file;
};

// Loads the data and builds the Dataset (no cache): the raw log of the source, grouped and re-indexed.
std::shared_ptr<const Dataset> load_dataset(const LoadConfig& load, const DatasetConfig& dataset);

// The full pipeline, through the cache unless disabled. Synthetic data is never cached: it is
// generated faster than a cache file is read.
Prepared prepare_data(const DataConfig& config);

// The cache key text of a configuration for the given source (without the file bytes' hash) and
// the cache file for it. Exposed for tests and `data stats`.
std::filesystem::path cache_file_for(const DataConfig& config, std::string* key_out);

}  // namespace l2::recsys
