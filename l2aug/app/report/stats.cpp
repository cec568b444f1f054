#include "l2aug/app/report/stats.h"

#include <cmath>

namespace l2::app::report {

double mean(const std::vector<double>& x) {
  if (x.empty()) return NAN;
  double s = 0.0;
  for (double v : x) s += v;
  return s / double(x.size());
}

double sample_std(const std::vector<double>& x) {
  if (x.size() < 2) return 0.0;
  const double m = mean(x);
  double s = 0.0;
  for (double v : x) s += (v - m) * (v - m);
  return std::sqrt(s / double(x.size() - 1));
}

namespace {
// Lentz's continued fraction for the incomplete beta function (converges for x < (a+1)/(a+b+2)).
double beta_fraction(double a, double b, double x) {
  const double tiny = 1e-300;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + num * d;
    c = 1.0 + num / c;
    if (std::fabs(d) < tiny) d = tiny;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    h *= d * c;
    num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + num * d;
    c = 1.0 + num / c;
    if (std::fabs(d) < tiny) d = tiny;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1.0) < 1e-14) break;
  }
  return h;
}
}  // namespace

double incomplete_beta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_fraction(a, b, x) / a;
  return 1.0 - front * beta_fraction(b, a, 1.0 - x) / b;  // symmetry for fast convergence
}

double student_t_two_sided(double t, double df) {
  if (!std::isfinite(t)) return 0.0;
  return incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
}

PairedTest paired_t_test(const std::vector<double>& a, const std::vector<double>& b) {
  PairedTest r;
  const size_t n = std::min(a.size(), b.size());
  r.n = int(n);
  std::vector<double> d;
  for (size_t i = 0; i < n; ++i) d.push_back(a[i] - b[i]);
  r.mean_diff = n ? mean(d) : 0.0;
  const double sd = sample_std(d);
  if (n < 2 || sd == 0.0) return r;
  r.t = r.mean_diff / (sd / std::sqrt(double(n)));
  r.p = student_t_two_sided(r.t, double(n - 1));
  return r;
}

}  // namespace l2::app::report
