// Writers for the loader formats (formats.h): a Dataset's interactions written back as a file that
// the matching loader reads, plain or gzip. This is how the synthetic platform is "written out in
// any supported format" (`l2aug data export synthetic --as goodreads --out dir`), and how tests check
// every loader on round trips. Columns the data does not have (ratings) are written as 1.
#pragma once

#include <filesystem>
#include <vector>

#include "recsys/data/dataset.h"
#include "recsys/data/formats.h"

namespace l2::app {

// Writes every interaction of `data` into `dir` (created if needed) in `format`; returns the files
// written (two for the paired format). The names are the ones resolve_source recognises, except
// for amazon-csv-2018, which needs --format on reading (its official files have no telling name).
std::vector<std::filesystem::path> write_interactions(const recsys::Dataset& data, recsys::Format format,
                                                      const std::filesystem::path& dir, bool gzip);

}  // namespace l2::app
