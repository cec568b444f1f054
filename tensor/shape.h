// Shape of a tensor: up to 4 dimensions (B, H, T, D is the largest the models need).
// Shape letters used project-wide: B batch, T time, C channels, H heads, D head dim, V items, N rows.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <string>

namespace l2 {

class Shape {
 public:
  static constexpr int kMaxDims = 4;

  Shape() = default;  // rank 0: a scalar with one element
  Shape(std::initializer_list<std::int64_t> dims);

  int ndim() const { return ndim_; }
  std::int64_t operator[](int i) const;       // negative i counts from the back
  std::int64_t& operator[](int i);
  std::int64_t numel() const;
  std::int64_t last() const { return ndim_ == 0 ? 1 : dims_[ndim_ - 1]; }
  // Product of all dimensions but the last: the number of rows of the [rows, last] view.
  std::int64_t rows() const { return ndim_ == 0 ? 1 : numel() / last(); }

  // Shape with dimension i removed (for reductions along an axis).
  Shape without(int i) const;
  // Shape with dimensions [begin, ndim) only.
  Shape suffix(int begin) const;
  // Shape with dimension `i` set to `n`.
  Shape with(int i, std::int64_t n) const;
  Shape appended(std::int64_t n) const;

  bool operator==(const Shape& o) const;
  bool operator!=(const Shape& o) const { return !(*this == o); }
  std::string str() const;  // "[2, 3, 4]"

 private:
  std::array<std::int64_t, kMaxDims> dims_{};
  int ndim_ = 0;
};

std::ostream& operator<<(std::ostream& os, const Shape& s);

// A shape seen around one axis as [outer, A, inner], the layout the reduction kernels take.
struct AxisView {
  int axis = 0;  // in [0, ndim): a negative axis counted from the back
  std::int64_t outer = 1, A = 1, inner = 1;
};
// Throws an l2::Error naming `op` unless the axis exists.
AxisView axis_view(const char* op, const Shape& s, int axis);

}  // namespace l2
