// Summary statistics for the report: mean, sample standard deviation, and the paired t-test
// across seeds (two-sided p-value from Student's t distribution).
#pragma once

#include <vector>

namespace l2::app::report {

double mean(const std::vector<double>& x);
double sample_std(const std::vector<double>& x);  // n - 1 in the denominator; 0 for n < 2

struct PairedTest {
  int n = 0;           // pairs
  double mean_diff = 0.0, t = 0.0, p = 1.0;  // p: two-sided; 1 when undefined (n < 2 or no variation)
};
// Pairs a[i] with b[i] (the same seed).
PairedTest paired_t_test(const std::vector<double>& a, const std::vector<double>& b);

// The regularised incomplete beta function I_x(a, b) (continued fraction), for the t distribution.
double incomplete_beta(double a, double b, double x);
// P(|T| >= |t|) for Student's t with `df` degrees of freedom.
double student_t_two_sided(double t, double df);

}  // namespace l2::app::report
