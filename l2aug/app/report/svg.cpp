#include "l2aug/app/report/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace l2::app::report {

namespace {

constexpr int kWidth = 720, kHeight = 360, kLeft = 70, kRight = 230, kTop = 40, kBottom = 60;
const char* kColors[] = {"#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c"};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// "Nice" tick values covering [lo, hi].
std::vector<double> ticks(double lo, double hi, int target = 5) {
  if (!(hi > lo)) hi = lo + 1.0;
  const double raw = (hi - lo) / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  std::vector<double> t;
  for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) t.push_back(std::fabs(v) < 1e-12 ? 0.0 : v);
  return t;
}

void frame(std::ostringstream& os, const std::string& title, const std::string& x_label, const std::string& y_label) {
  os << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
     << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight << "\" viewBox=\"0 0 "
     << kWidth << " " << kHeight << "\" font-family=\"sans-serif\" font-size=\"11\">\n"
     << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
     << "<text x=\"" << kWidth / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">" << xml_escape(title) << "</text>\n"
     << "<text x=\"" << kLeft + (kWidth - kLeft - kRight) / 2 << "\" y=\"" << kHeight - 12
     << "\" text-anchor=\"middle\">" << xml_escape(x_label) << "</text>\n"
     << "<text transform=\"translate(16," << kTop + (kHeight - kTop - kBottom) / 2
     << ") rotate(-90)\" text-anchor=\"middle\">" << xml_escape(y_label) << "</text>\n";
}

void y_axis(std::ostringstream& os, double lo, double hi) {
  const int x0 = kLeft, x1 = kWidth - kRight, y0 = kHeight - kBottom, y1 = kTop;
  for (double t : ticks(lo, hi)) {
    const double y = y0 - (t - lo) / (hi - lo) * (y0 - y1);
    os << "<line x1=\"" << x0 << "\" x2=\"" << x1 << "\" y1=\"" << num(y) << "\" y2=\"" << num(y)
       << "\" stroke=\"#e0e0e0\"/>\n<text x=\"" << x0 - 6 << "\" y=\"" << num(y + 4) << "\" text-anchor=\"end\">" << num(t)
       << "</text>\n";
  }
  os << "<line x1=\"" << x0 << "\" x2=\"" << x0 << "\" y1=\"" << y0 << "\" y2=\"" << y1 << "\" stroke=\"black\"/>\n"
     << "<line x1=\"" << x0 << "\" x2=\"" << x1 << "\" y1=\"" << y0 << "\" y2=\"" << y0 << "\" stroke=\"black\"/>\n";
}

void legend(std::ostringstream& os, const std::vector<std::string>& names) {
  int y = kTop + 4;
  for (size_t i = 0; i < names.size(); ++i, y += 18) {
    os << "<rect x=\"" << kWidth - kRight + 14 << "\" y=\"" << y << "\" width=\"12\" height=\"12\" fill=\""
       << kColors[i % 8] << "\"/>\n<text x=\"" << kWidth - kRight + 32 << "\" y=\"" << y + 10 << "\">"
       << xml_escape(names[i]) << "</text>\n";
  }
}

}  // namespace

std::string xml_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&apos;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string bar_chart(const std::string& title, const std::string& y_label, const std::vector<std::string>& groups,
                      const std::vector<BarSeries>& series) {
  std::ostringstream os;
  frame(os, title, "", y_label);
  double hi = 0.0;
  for (const BarSeries& s : series)
    for (size_t g = 0; g < s.values.size(); ++g)
      hi = std::max(hi, s.values[g] + (g < s.errors.size() ? s.errors[g] : 0.0));
  hi = hi > 0 ? hi * 1.1 : 1.0;
  const double lo = 0.0;
  y_axis(os, lo, hi);
  const int x0 = kLeft, x1 = kWidth - kRight, y0 = kHeight - kBottom, y1 = kTop;
  const double group_w = double(x1 - x0) / double(std::max<size_t>(1, groups.size()));
  const double bar_w = group_w * 0.8 / double(std::max<size_t>(1, series.size()));
  for (size_t g = 0; g < groups.size(); ++g) {
    const double gx = x0 + group_w * double(g) + group_w * 0.1;
    os << "<text x=\"" << num(x0 + group_w * (double(g) + 0.5)) << "\" y=\"" << y0 + 16 << "\" text-anchor=\"middle\">"
       << xml_escape(groups[g]) << "</text>\n";
    for (size_t s = 0; s < series.size(); ++s) {
      if (g >= series[s].values.size() || !std::isfinite(series[s].values[g])) continue;
      const double v = series[s].values[g];
      const double top = y0 - (v - lo) / (hi - lo) * (y0 - y1);
      const double x = gx + bar_w * double(s);
      os << "<rect x=\"" << num(x) << "\" y=\"" << num(top) << "\" width=\"" << num(bar_w * 0.9) << "\" height=\""
         << num(y0 - top) << "\" fill=\"" << kColors[s % 8] << "\"><title>" << xml_escape(series[s].name) << ": "
         << num(v) << "</title></rect>\n";
      if (g < series[s].errors.size() && series[s].errors[g] > 0) {
        const double e = series[s].errors[g] / (hi - lo) * (y0 - y1), cx = x + bar_w * 0.45;
        os << "<line x1=\"" << num(cx) << "\" x2=\"" << num(cx) << "\" y1=\"" << num(top - e) << "\" y2=\""
           << num(top + e) << "\" stroke=\"black\"/>\n";
      }
    }
  }
  std::vector<std::string> names;
  for (const BarSeries& s : series) names.push_back(s.name);
  legend(os, names);
  os << "</svg>\n";
  return os.str();
}

std::string line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                       const std::vector<LineSeries>& series, bool log_x) {
  std::ostringstream os;
  frame(os, title, x_label, y_label);
  auto tx = [&](double x) { return log_x ? std::log10(std::max(x, 1e-12)) : x; };
  double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
  for (const LineSeries& s : series)
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.y[i])) continue;
      const double e = i < s.errors.size() ? s.errors[i] : 0.0;
      xlo = std::min(xlo, tx(s.x[i]));
      xhi = std::max(xhi, tx(s.x[i]));
      ylo = std::min(ylo, s.y[i] - e);
      yhi = std::max(yhi, s.y[i] + e);
    }
  if (!std::isfinite(xlo)) xlo = 0, xhi = 1, ylo = 0, yhi = 1;
  if (xhi <= xlo) xhi = xlo + 1;
  const double pad = (yhi - ylo) * 0.08 + 1e-12;
  ylo -= pad;
  yhi += pad;
  y_axis(os, ylo, yhi);
  const int x0 = kLeft, x1 = kWidth - kRight, y0 = kHeight - kBottom, y1 = kTop;
  auto px = [&](double x) { return x0 + (tx(x) - xlo) / (xhi - xlo) * (x1 - x0); };
  auto py = [&](double y) { return y0 - (y - ylo) / (yhi - ylo) * (y0 - y1); };
  std::vector<double> xt;
  if (log_x) {
    for (const LineSeries& s : series) xt.insert(xt.end(), s.x.begin(), s.x.end());
    std::sort(xt.begin(), xt.end());
    xt.erase(std::unique(xt.begin(), xt.end()), xt.end());
  } else {
    xt = ticks(xlo, xhi);
  }
  for (double t : xt)
    os << "<text x=\"" << num(px(t)) << "\" y=\"" << y0 + 16 << "\" text-anchor=\"middle\">" << num(t) << "</text>\n";
  for (size_t k = 0; k < series.size(); ++k) {
    const LineSeries& s = series[k];
    std::ostringstream pts;
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i)
      if (std::isfinite(s.y[i])) pts << num(px(s.x[i])) << "," << num(py(s.y[i])) << " ";
    os << "<polyline fill=\"none\" stroke=\"" << kColors[k % 8] << "\" stroke-width=\"1.8\" points=\"" << pts.str()
       << "\"/>\n";
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.y[i])) continue;
      if (s.x.size() <= 40)
        os << "<circle cx=\"" << num(px(s.x[i])) << "\" cy=\"" << num(py(s.y[i])) << "\" r=\"2.5\" fill=\""
           << kColors[k % 8] << "\"/>\n";
      if (i < s.errors.size() && s.errors[i] > 0)
        os << "<line x1=\"" << num(px(s.x[i])) << "\" x2=\"" << num(px(s.x[i])) << "\" y1=\""
           << num(py(s.y[i] - s.errors[i])) << "\" y2=\"" << num(py(s.y[i] + s.errors[i])) << "\" stroke=\""
           << kColors[k % 8] << "\"/>\n";
    }
  }
  std::vector<std::string> names;
  for (const LineSeries& s : series) names.push_back(s.name);
  legend(os, names);
  os << "</svg>\n";
  return os.str();
}

}  // namespace l2::app::report
