#include "gradcheck_util.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(ops_shape_suite)

BOOST_AUTO_TEST_CASE(views_and_copies_gradcheck) {
  Tensor x = random_tensor(Shape{2, 3, 5, 7}, 1);
  // Each is followed by a mul so that the gradient reaching the op is not uniform.
  expect_gradients("reshape", [](const std::vector<Var>& v) { return mul(reshape(v[0], Shape{6, 35}), reshape(v[0], Shape{6, 35})); }, {x});
  expect_gradients("transpose", [](const std::vector<Var>& v) { return transpose(v[0]); }, {x});
  expect_gradients("permute", [](const std::vector<Var>& v) { return permute(v[0], {0, 2, 1, 3}); }, {x});
  expect_gradients("permute 3210", [](const std::vector<Var>& v) { return permute(v[0], {3, 2, 1, 0}); }, {x});
  for (int axis : {0, 1, 2, 3})
    expect_gradients("slice axis " + std::to_string(axis),
                     [axis](const std::vector<Var>& v) { return slice(v[0], axis, 1, 2); }, {x});
  Tensor a = random_tensor(Shape{2, 3, 4}, 2), b = random_tensor(Shape{2, 5, 4}, 3), c = random_tensor(Shape{2, 1, 4}, 4);
  expect_gradients("concat axis 1", [](const std::vector<Var>& v) { return concat({v[0], v[1], v[2]}, 1); }, {a, b, c});
  expect_gradients("concat axis 0 with itself", [](const std::vector<Var>& v) { return concat({v[0], v[0]}, 0); }, {a});
  BOOST_CHECK_THROW(concat({constant(a), constant(Tensor::zeros(Shape{3, 3, 4}))}, 1), Error);
  BOOST_CHECK_THROW(slice(constant(a), 1, 2, 5), Error);
}

BOOST_AUTO_TEST_CASE(gather_rows_gradcheck_and_padding_row) {
  Tensor table = random_tensor(Shape{9, 17}, 5);
  IndexTensor ids = IndexTensor::from(Shape{2, 4}, {3, 0, 3, 8, 1, 1, 0, 5});  // repeats and padding
  expect_gradients("gather_rows", [ids](const std::vector<Var>& v) { return gather_rows(v[0], ids); }, {table});
  expect_gradients("index_select", [](const std::vector<Var>& v) {
    return index_select(v[0], IndexTensor::from(Shape{5}, {16, 0, 3, 3, 9}));
  }, {table});
  // Padding: id 0 rows are looked up (their values come back) but receive no gradient.
  Var t = parameter(table.clone());
  Var y = gather_rows(t, ids, 0);
  backward(sum(y));
  BOOST_TEST((t->grad_state == GradState::Rows));
  BOOST_TEST((t->grad_rows == std::vector<std::int32_t>{1, 3, 5, 8}));
  for (std::int64_t c = 0; c < 17; ++c) {
    BOOST_TEST(t->grad[c] == 0.0f);            // row 0: padding
    BOOST_TEST(t->grad[3 * 17 + c] == 2.0f);   // row 3 looked up twice
    BOOST_TEST(t->grad[2 * 17 + c] == 0.0f);   // row 2 never looked up
  }
  zero_grad(*t);
  BOOST_TEST((t->grad_state == GradState::None));
  BOOST_TEST(t->grad[3 * 17] == 0.0f);
  BOOST_CHECK_THROW(gather_rows(t, IndexTensor::from(Shape{1}, {9})), Error);
}

BOOST_AUTO_TEST_SUITE_END()
