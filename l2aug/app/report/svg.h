// SVG charts written by the project itself (no plotting library, no Python at run time): grouped
// bar charts with error bars and line charts, as self-contained, well-formed SVG documents.
#pragma once

#include <string>
#include <vector>

namespace l2::app::report {

struct BarSeries {
  std::string name;               // legend entry (e.g. a treatment)
  std::vector<double> values;     // one per group
  std::vector<double> errors;     // half-heights of the error bars (empty: none)
};

// Groups along x (e.g. casual, core), one bar per series in each group.
std::string bar_chart(const std::string& title, const std::string& y_label, const std::vector<std::string>& groups,
                      const std::vector<BarSeries>& series);

struct LineSeries {
  std::string name;
  std::vector<double> x, y;
  std::vector<double> errors;  // optional, drawn as vertical bars
};

std::string line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                       const std::vector<LineSeries>& series, bool log_x = false);

// Escapes &, <, >, " and ' for XML text and attributes.
std::string xml_escape(const std::string& s);

}  // namespace l2::app::report
