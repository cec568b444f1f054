// Checkpoint files: a StateDict written with cereal's binary archive inside a small frame,
//   "L2AUGCKP" | format version (u32) | payload size (u64) | CRC-32 of the payload (u32) | payload
// so that a file from another program, a newer format, a truncated write or a flipped bit is
// reported as such instead of being loaded. Writes go to a temporary file in the same folder that
// is flushed, fsync'ed and renamed over the target: a crash leaves the old checkpoint or the new
// one, never half of one.
#pragma once

#include <exception>
#include <new>
#include <string>

#include "nn/state_dict.h"
#include "tensor/check.h"

namespace l2::nn {

// Format 1 is the first this program wrote, so a file saying 0 is not one of ours (or is damaged).
// Files of format 1 written before Note [Exact doubles] hold doubles with 6 decimals; they still
// load, and those values come back rounded.
inline constexpr std::uint32_t kCheckpointFormat = 1;
inline constexpr std::uint32_t kOldestCheckpointFormat = 1;

void save_checkpoint(const std::string& path, const StateDict& state);
// Throws an l2::Error naming the file and what is wrong with it.
StateDict load_checkpoint(const std::string& path);

// Runs `read`, which reads a loaded checkpoint's entries, so that every error names the file.
// The readers of single entries (StateDict::get, a JSON entry's parser, a configuration's checks)
// know the entry but not the file; an error that already starts with `path` passes unchanged.
template <class Read>
void read_checkpoint_entries(const std::string& path, Read&& read) {
  try {
    read();
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    const std::string what = e.what();
    if (what.rfind(path, 0) == 0) throw;
    L2_FAIL(path << ": " << what);
  }
}

// Writes `bytes` to `path` atomically (temporary file, fsync, rename). Used for every file the
// project writes that must never be seen half-written. Temporary files of the same path left by
// writers that no longer run (killed with SIGKILL) are removed afterwards.
void write_file_atomically(const std::string& path, const std::string& bytes);
// Removes every such leftover temporary file under `folder` (recursively), e.g. when a killed run
// is restarted; those of writers still running are kept.
void remove_stale_temporaries(const std::string& folder);

}  // namespace l2::nn
