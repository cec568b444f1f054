// `l2aug report`: reads the per-cell result files of one or more experiment folders (the shards of
// a grid merge by passing all their folders) and writes, into the first folder,
//   report.md, report.html   the paper's Table 2 layout for casual and for core users (mean ± std
//                            over seeds, best per column in bold), the relative improvement of
//                            L2Aug over the best baseline with a paired t-test across seeds, and
//                            the figures; the commit, the configuration, the build facts and the
//                            protocol
//   report.json              every number in the tables with the per-seed values behind it
//   figures/*.svg            bars per treatment (casual and core, error bars), training curves,
//                            the augmentor's reward / action probabilities / entropy, metric against
//                            each swept setting (meta-validation ratio, drop rate, action set),
//                            metric against sequence length, interest continuity, the online study
// Every number traces to the cells' metrics.json (and logs) next to it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace l2::app {

struct ReportSummary {
  std::string markdown, html, json;  // paths written
  std::string table;                 // a compact text table for the terminal
  int cells = 0, unfinished = 0;
};

ReportSummary write_report(const std::vector<std::filesystem::path>& dirs);

}  // namespace l2::app
