#include "tensor/tensor.h"

#include <algorithm>
#include <cstdlib>
#include <new>

#include "tensor/block_cache.h"

namespace l2 {

// Blocks come from the storage cache (Note [Storage cache] in tensor/block_cache.h).
template <class T>
Storage<T>::Storage(std::int64_t n) : size_(n) {
  data_ = static_cast<T*>(cache_allocate(std::size_t(n) * sizeof(T)));
}

template <class T>
Storage<T>::~Storage() {
  cache_free(data_, std::size_t(size_) * sizeof(T));
}

template <class T>
BasicTensor<T> BasicTensor<T>::empty(const Shape& shape) {
  BasicTensor t;
  t.storage_ = std::make_shared<Storage<T>>(shape.numel());
  t.shape_ = shape;
  return t;
}

template <class T>
BasicTensor<T> BasicTensor<T>::zeros(const Shape& shape) {
  BasicTensor t = empty(shape);
  std::memset(t.data(), 0, sizeof(T) * shape.numel());
  return t;
}

template <class T>
BasicTensor<T> BasicTensor<T>::full(const Shape& shape, T value) {
  BasicTensor t = empty(shape);
  t.fill_(value);
  return t;
}

template <class T>
BasicTensor<T> BasicTensor<T>::from(const Shape& shape, const std::vector<T>& values) {
  L2_CHECK(static_cast<std::int64_t>(values.size()) == shape.numel(),
           "Tensor::from: " << values.size() << " values for shape " << shape);
  BasicTensor t = empty(shape);
  std::copy(values.begin(), values.end(), t.data());
  return t;
}

template <class T>
T BasicTensor<T>::item() const {
  L2_CHECK(numel() == 1, "item: tensor of shape " << shape_ << " has " << numel() << " elements, not 1");
  return data()[0];
}

template <class T>
BasicTensor<T> BasicTensor<T>::reshape(const Shape& shape) const {
  L2_CHECK(shape.numel() == numel(), "reshape: cannot view " << shape_ << " as " << shape);
  BasicTensor t = *this;
  t.shape_ = shape;
  return t;
}

template <class T>
BasicTensor<T> BasicTensor<T>::slice(std::int64_t begin, std::int64_t end) const {
  L2_CHECK(ndim() >= 1, "slice: tensor of shape " << shape_ << " has no leading dimension");
  L2_CHECK(0 <= begin && begin <= end && end <= shape_[0],
           "slice: rows [" << begin << ", " << end << ") out of range for " << shape_);
  BasicTensor t = *this;
  t.offset_ += begin * (numel() / std::max<std::int64_t>(1, shape_[0]));
  t.shape_[0] = end - begin;
  return t;
}

template <class T>
BasicTensor<T> BasicTensor<T>::select(std::int64_t i) const {
  BasicTensor t = slice(i, i + 1);
  t.shape_ = shape_.without(0);
  return t;
}

template <class T>
BasicTensor<T> BasicTensor<T>::clone() const {
  if (!defined()) return {};
  BasicTensor t = empty(shape_);
  std::memcpy(t.data(), data(), sizeof(T) * numel());
  return t;
}

template <class T>
void BasicTensor<T>::fill_(T value) {
  std::fill_n(data(), numel(), value);
}

template <class T>
void BasicTensor<T>::copy_from(const BasicTensor& src) {
  L2_CHECK(src.numel() == numel(), "copy_from: " << src.shape() << " into " << shape_);
  std::memcpy(data(), src.data(), sizeof(T) * numel());
}

void check_same_shape(const char* op, const Shape& a, const Shape& b) {
  L2_CHECK(a == b, op << ": shapes differ: " << a << " vs " << b);
}

void check_ids(const char* op, const IndexTensor& ids, std::int64_t V) {
  const std::int32_t* p = ids.data();
  for (std::int64_t i = 0; i < ids.numel(); ++i)
    L2_CHECK(p[i] >= 0 && p[i] < V, op << ": id " << p[i] << " at position " << i << " is outside [0, " << V << ")");
}

template class Storage<float>;
template class Storage<std::int32_t>;
template class BasicTensor<float>;
template class BasicTensor<std::int32_t>;

}  // namespace l2
