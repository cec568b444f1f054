#include "tensor/shape.h"

#include <ostream>
#include <sstream>

#include "tensor/check.h"

namespace l2 {

Shape::Shape(std::initializer_list<std::int64_t> dims) {
  L2_CHECK(dims.size() <= static_cast<size_t>(kMaxDims),
           "Shape: " << dims.size() << " dimensions given, at most " << kMaxDims << " supported");
  for (std::int64_t d : dims) {
    L2_CHECK(d >= 0, "Shape: negative dimension " << d);
    dims_[ndim_++] = d;
  }
}

std::int64_t Shape::operator[](int i) const {
  if (i < 0) i += ndim_;
  L2_DCHECK(i >= 0 && i < ndim_);
  return dims_[i];
}

std::int64_t& Shape::operator[](int i) {
  if (i < 0) i += ndim_;
  L2_DCHECK(i >= 0 && i < ndim_);
  return dims_[i];
}

std::int64_t Shape::numel() const {
  std::int64_t n = 1;
  for (int i = 0; i < ndim_; ++i) n *= dims_[i];
  return n;
}

Shape Shape::without(int i) const {
  if (i < 0) i += ndim_;
  L2_CHECK(i >= 0 && i < ndim_, "Shape::without: axis " << i << " out of range for " << *this);
  Shape s;
  for (int k = 0; k < ndim_; ++k)
    if (k != i) s.dims_[s.ndim_++] = dims_[k];
  return s;
}

Shape Shape::suffix(int begin) const {
  L2_CHECK(begin >= 0 && begin <= ndim_, "Shape::suffix: " << begin << " out of range for " << *this);
  Shape s;
  for (int k = begin; k < ndim_; ++k) s.dims_[s.ndim_++] = dims_[k];
  return s;
}

Shape Shape::with(int i, std::int64_t n) const {
  Shape s = *this;
  s[i] = n;
  return s;
}

Shape Shape::appended(std::int64_t n) const {
  L2_CHECK(ndim_ < kMaxDims, "Shape::appended: " << *this << " already has " << kMaxDims << " dimensions");
  Shape s = *this;
  s.dims_[s.ndim_++] = n;
  return s;
}

bool Shape::operator==(const Shape& o) const {
  if (ndim_ != o.ndim_) return false;
  for (int i = 0; i < ndim_; ++i)
    if (dims_[i] != o.dims_[i]) return false;
  return true;
}

std::string Shape::str() const {
  std::ostringstream os;
  os << *this;
  return os.str();
}

AxisView axis_view(const char* op, const Shape& s, int axis) {
  if (axis < 0) axis += s.ndim();
  L2_CHECK(axis >= 0 && axis < s.ndim(), op << ": axis " << axis << " out of range for " << s);
  AxisView v;
  v.axis = axis;
  for (int i = 0; i < axis; ++i) v.outer *= s[i];
  v.A = s[axis];
  for (int i = axis + 1; i < s.ndim(); ++i) v.inner *= s[i];
  return v;
}

std::ostream& operator<<(std::ostream& os, const Shape& s) {
  os << '[';
  for (int i = 0; i < s.ndim(); ++i) os << (i ? ", " : "") << s[i];
  return os << ']';
}

}  // namespace l2
