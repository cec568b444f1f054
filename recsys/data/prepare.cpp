#include "recsys/data/prepare.h"

#include <cctype>

#include "recsys/data/cutoffs.h"
#include "recsys/data/hash.h"
#include "recsys/data/synthetic.h"
#include "tensor/check.h"

namespace l2::recsys {

namespace {

// Hash of the input files' bytes (not their paths: a copy elsewhere hits the same cache) and of every
// load/dataset setting: the dataset's fingerprint.
std::uint64_t input_fingerprint(const DataSource& source, const LoadConfig& load, const DatasetConfig& dataset) {
  Hasher h;
  h.update_field("l2aug-dataset");
  h.update_field(format_name(source.format));
  h.update_field(source.name);  // the key of the default-cutoff table
  for (const auto& f : source.files) {
    h.update_field(f.filename().string());
    h.update_u64(hash_file(f));
  }
  h.update_field(load.describe());
  h.update_field(dataset.describe());
  return h.digest();
}

DataSource source_of(const LoadConfig& load) { return resolve_source(load.data, load.format); }

// The protocol as it will be applied: a table default is resolved here from the dataset key, so
// that editing the table can never reuse a cache made with the old default.
ProtocolConfig resolved_for_key(ProtocolConfig p, const std::string& name) {
  if (p.split == SplitKind::temporal && p.cutoff.kind == CutoffChoice::Kind::table_default)
    if (const DefaultCutoff* c = find_default_cutoff(name)) p.cutoff = {CutoffChoice::Kind::fixed, cutoff_time(*c)};
  return p;
}

std::shared_ptr<const Dataset> build_from_source(const DataSource& source, std::uint64_t fingerprint,
                                                 const LoadConfig& load, const DatasetConfig& dataset) {
  return std::make_shared<const Dataset>(build_dataset(load_raw(source, load), dataset, fingerprint));
}

// The cache key text (see cache.h) and the cache file path for a source.
std::filesystem::path cache_path(const DataConfig& config, const DataSource& source, std::uint64_t fp,
                                 std::string* key_out) {
  const ProtocolConfig protocol = resolved_for_key(config.protocol, source.name);
  const std::string key = "l2aug-cache v" + std::to_string(kCacheFormatVersion) + "\ninput=" + to_hex(fp) +
                          "\nload=" + config.load.describe() + "\ndataset=" + config.dataset.describe() +
                          "\nprotocol=" + protocol.describe() + "\n";
  if (key_out) *key_out = key;
  const auto dir = config.cache.dir.empty() ? default_cache_dir() : config.cache.dir;
  std::string safe;
  for (char c : source.name) safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  return dir / (safe + "-" + to_hex(hash_bytes(key)) + ".l2data");
}

}  // namespace

std::shared_ptr<const Dataset> load_dataset(const LoadConfig& load, const DatasetConfig& dataset) {
  if (is_synthetic_spec(load.data)) {
    const SyntheticConfig sc = parse_synthetic_spec(load.data);
    SyntheticData data = generate_synthetic(sc);
    Hasher h;
    h.update_field(sc.describe()).update_field(dataset.describe());
    return std::make_shared<const Dataset>(build_dataset(std::move(data.log), dataset, h.digest()));
  }
  const DataSource source = source_of(load);
  return build_from_source(source, input_fingerprint(source, load, dataset), load, dataset);
}

std::filesystem::path cache_file_for(const DataConfig& config, std::string* key_out) {
  const DataSource source = source_of(config.load);
  return cache_path(config, source, input_fingerprint(source, config.load, config.dataset), key_out);
}

Prepared prepare_data(const DataConfig& config) {
  Prepared out;
  if (is_synthetic_spec(config.load.data) || !config.cache.enabled) {
    out.split = Split(load_dataset(config.load, config.dataset), config.protocol);
    out.cache_status = is_synthetic_spec(config.load.data) ? "off (synthetic data is generated, not cached)" : "off";
    return out;
  }
  const DataSource source = source_of(config.load);
  const std::uint64_t fp = input_fingerprint(source, config.load, config.dataset);
  std::string key;
  out.cache_file = cache_path(config, source, fp, &key);
  std::string why;
  if (auto cached = read_cache(out.cache_file, key, &why)) {
    out.split = std::move(*cached);
    out.cache_status = "hit";
    return out;
  }
  // Build first, write after: an error while loading leaves no cache file at all.
  out.split = Split(build_from_source(source, fp, config.load, config.dataset), config.protocol);
  write_cache(out.cache_file, key, out.split);
  out.cache_status = why == "missing" ? "miss (written)" : "rebuilt (" + why + ")";
  return out;
}

}  // namespace l2::recsys
