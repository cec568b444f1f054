// Tensor: a contiguous, row-major array of up to 4 dimensions whose storage is shared and
// 64-byte aligned. Copying a Tensor is shallow (both handles see the same numbers); clone() is
// the deep copy. Views exist only where the data stays contiguous: reshape and slices along the
// leading dimension. Everything else (transpose, permute) is an explicit copy in
// tensor/kernels/permute.h, so no kernel ever has to handle strides.
//
// Tensor holds float32 values; IndexTensor holds int32 ids, targets and masks. Both are the
// same small class template, BasicTensor<T>.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "tensor/check.h"
#include "tensor/shape.h"

namespace l2 {

// One 64-byte aligned allocation. Uninitialised on creation: factories decide how to fill it.
template <class T>
class Storage {
 public:
  explicit Storage(std::int64_t n);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  T* data() { return data_; }
  const T* data() const { return data_; }
  std::int64_t size() const { return size_; }

 private:
  T* data_ = nullptr;
  std::int64_t size_ = 0;
};

template <class T>
class BasicTensor {
 public:
  using value_type = T;

  BasicTensor() = default;  // undefined: no storage; defined() is false

  static BasicTensor empty(const Shape& shape);  // uninitialised values
  static BasicTensor zeros(const Shape& shape);
  static BasicTensor full(const Shape& shape, T value);
  static BasicTensor from(const Shape& shape, const std::vector<T>& values);
  static BasicTensor scalar(T value) { return full(Shape{}, value); }

  bool defined() const { return storage_ != nullptr; }
  const Shape& shape() const { return shape_; }
  int ndim() const { return shape_.ndim(); }
  std::int64_t numel() const { return shape_.numel(); }
  std::int64_t dim(int i) const { return shape_[i]; }

  T* data() { return storage_->data() + offset_; }
  const T* data() const { return storage_->data() + offset_; }
  T& operator[](std::int64_t i) { return data()[i]; }
  const T& operator[](std::int64_t i) const { return data()[i]; }
  T item() const;  // the single value of a one-element tensor
  std::vector<T> to_vector() const { return std::vector<T>(data(), data() + numel()); }

  // Views sharing storage.
  BasicTensor reshape(const Shape& shape) const;
  BasicTensor slice(std::int64_t begin, std::int64_t end) const;  // rows [begin, end) of dim 0
  BasicTensor select(std::int64_t i) const;                        // row i of dim 0, one rank lower

  BasicTensor clone() const;  // deep copy
  void fill_(T value);
  void zero_() { fill_(T(0)); }
  void copy_from(const BasicTensor& src);  // same numel; shapes may differ
  bool shares_storage_with(const BasicTensor& o) const { return storage_ == o.storage_; }

 private:
  std::shared_ptr<Storage<T>> storage_;
  std::int64_t offset_ = 0;
  Shape shape_;
};

using Tensor = BasicTensor<float>;
using IndexTensor = BasicTensor<std::int32_t>;

// Throws an l2::Error naming `op` and both shapes unless a and b have the same shape.
void check_same_shape(const char* op, const Shape& a, const Shape& b);
// Throws unless every id is in [0, V); names `op` and the first offending position.
void check_ids(const char* op, const IndexTensor& ids, std::int64_t V);

extern template class Storage<float>;
extern template class Storage<std::int32_t>;
extern template class BasicTensor<float>;
extern template class BasicTensor<std::int32_t>;

}  // namespace l2
