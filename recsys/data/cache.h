// The processed-dataset cache: a Split (with its Dataset) in a cereal binary file, so that a run
// skips parsing when neither the input files nor any load/protocol setting changed. The file name
// carries the key (hash of the input bytes + every setting); the full settings text is stored too
// and compared, so a hash collision cannot reuse a stale cache. Files live under --cache-dir,
// never beside the input (shared data is read-only).
//
// Note [Cache integrity]
// A cache file is written to a temporary name, flushed and fsync'ed, then renamed: a reader sees a
// complete file or none. The header holds a magic, a format version, the payload size and a hash
// of the payload; a file that fails any check is reported and rebuilt, never trusted. Bump
// kCacheFormatVersion whenever processing code changes what a setting produces.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "recsys/data/split.h"

namespace l2::recsys {

inline constexpr std::uint32_t kCacheFormatVersion = 1;

// $XDG_CACHE_HOME/l2aug, else $HOME/.cache/l2aug, else ./.l2aug-cache.
std::filesystem::path default_cache_dir();

// Writes `split` under `key` (the settings text) atomically. Throws naming the file on failure and
// leaves no partial file behind.
void write_cache(const std::filesystem::path& file, const std::string& key, const Split& split);

// The cached split, or nullopt with the reason in *why ("missing", "corrupt: ...", "stale: ...").
std::optional<Split> read_cache(const std::filesystem::path& file, const std::string& key, std::string* why);

}  // namespace l2::recsys
