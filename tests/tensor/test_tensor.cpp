#include <boost/test/unit_test.hpp>
#include <cstdint>

#include "tensor/functional.h"
#include "tensor/tensor.h"

using namespace l2;

BOOST_AUTO_TEST_SUITE(tensor_core)

BOOST_AUTO_TEST_CASE(shape_basics) {
  Shape s{2, 3, 4};
  BOOST_TEST(s.ndim() == 3);
  BOOST_TEST(s.numel() == 24);
  BOOST_TEST(s[-1] == 4);
  BOOST_TEST(s.rows() == 6);
  BOOST_TEST(s.without(1) == (Shape{2, 4}));
  BOOST_TEST(s.suffix(1) == (Shape{3, 4}));
  BOOST_TEST(s.str() == "[2, 3, 4]");
  BOOST_TEST(Shape{}.numel() == 1);
  BOOST_CHECK_THROW((Shape{1, 2, 3, 4, 5}), Error);
  BOOST_CHECK_THROW((Shape{2, -1}), Error);
}

BOOST_AUTO_TEST_CASE(storage_is_64_byte_aligned) {
  for (std::int64_t n : {1, 3, 17, 1000}) {
    Tensor t = Tensor::empty(Shape{n});
    BOOST_TEST(reinterpret_cast<std::uintptr_t>(t.data()) % 64 == 0u);
  }
}

BOOST_AUTO_TEST_CASE(views_share_storage_and_clone_does_not) {
  Tensor t = Tensor::from(Shape{3, 2}, {0, 1, 2, 3, 4, 5});
  Tensor r = t.reshape(Shape{2, 3});
  Tensor s = t.slice(1, 3);
  Tensor row = t.select(2);
  BOOST_TEST(s.shape() == (Shape{2, 2}));
  BOOST_TEST(s[0] == 2.0f);
  BOOST_TEST(row.shape() == (Shape{2}));
  BOOST_TEST(row[1] == 5.0f);
  Tensor c = t.clone();
  t[3] = 42.0f;
  BOOST_TEST(r[3] == 42.0f);
  BOOST_TEST(s[1] == 42.0f);
  BOOST_TEST(c[3] == 3.0f);
  BOOST_TEST(r.shares_storage_with(t));
  BOOST_TEST(!c.shares_storage_with(t));
}

BOOST_AUTO_TEST_CASE(factories_and_index_tensor) {
  BOOST_TEST(Tensor::zeros(Shape{5})[4] == 0.0f);
  BOOST_TEST(Tensor::full(Shape{2, 2}, 1.5f)[3] == 1.5f);
  BOOST_TEST(Tensor::scalar(2.0f).item() == 2.0f);
  IndexTensor ids = IndexTensor::from(Shape{2, 2}, {1, 2, 3, 4});
  BOOST_TEST(ids.reshape(Shape{4})[3] == 4);
  BOOST_CHECK_THROW(Tensor::from(Shape{2, 2}, {1, 2, 3}), Error);
}

BOOST_AUTO_TEST_CASE(bad_shapes_throw_with_both_shapes_in_the_message) {
  Tensor t = Tensor::zeros(Shape{2, 3});
  try {
    t.reshape(Shape{4, 2});
    BOOST_FAIL("reshape accepted a wrong size");
  } catch (const Error& e) {
    BOOST_TEST(std::string(e.what()).find("[2, 3]") != std::string::npos);
    BOOST_TEST(std::string(e.what()).find("[4, 2]") != std::string::npos);
  }
  try {
    fn::matmul(Tensor::zeros(Shape{2, 3}), Tensor::zeros(Shape{4, 5}));
    BOOST_FAIL("matmul accepted mismatched inner dimensions");
  } catch (const Error& e) {
    BOOST_TEST(std::string(e.what()).find("matmul") != std::string::npos);
    BOOST_TEST(std::string(e.what()).find("[2, 3]") != std::string::npos);
    BOOST_TEST(std::string(e.what()).find("[4, 5]") != std::string::npos);
  }
  BOOST_CHECK_THROW(t.slice(1, 3), Error);
  BOOST_CHECK_THROW(t.item(), Error);
  BOOST_CHECK_THROW(fn::add(Tensor::zeros(Shape{2, 3}), Tensor::zeros(Shape{3, 2})), Error);
  BOOST_CHECK_THROW(fn::gather_rows(Tensor::zeros(Shape{4, 2}), IndexTensor::from(Shape{2}, {1, 4})), Error);
}

BOOST_AUTO_TEST_SUITE_END()
