#include "gradcheck_util.h"
#include "tensor/kernels/elementwise.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(var_suite)

BOOST_AUTO_TEST_CASE(diamond_and_shared_subexpressions) {
  // y = x*x + x, with x used three times: dy/dx = 2x + 1.
  Var x = parameter(Tensor::from(Shape{3}, {1.0f, -2.0f, 0.5f}));
  Var y = sum(add(mul(x, x), x));
  backward(y);
  BOOST_TEST(x->grad.to_vector() == (std::vector<float>{3.0f, -3.0f, 2.0f}));
  // A second backward over a new graph accumulates.
  backward(sum(add(mul(x, x), x)));
  BOOST_TEST(x->grad.to_vector() == (std::vector<float>{6.0f, -6.0f, 4.0f}));
  zero_grad(*x);
  BOOST_TEST(x->grad.to_vector() == (std::vector<float>{0.0f, 0.0f, 0.0f}));
}

BOOST_AUTO_TEST_CASE(backward_frees_the_graph) {
  Var x = parameter(Tensor::full(Shape{4}, 2.0f));
  Var h = tanh(x);
  Var y = sum(h);
  backward(y);
  BOOST_TEST(y->inputs.empty());
  BOOST_TEST(h->inputs.empty());
  BOOST_TEST(!h->grad.defined());  // intermediate gradients are released
  BOOST_TEST(x->grad.defined());   // leaves keep theirs
}

BOOST_AUTO_TEST_CASE(no_grad_records_nothing_and_detach_cuts) {
  Var x = parameter(Tensor::full(Shape{2}, 1.0f));
  {
    NoGradGuard guard;
    Var y = mul(x, x);
    BOOST_TEST(!y->requires_grad);
    BOOST_TEST(y->inputs.empty());
  }
  Var z = mul(detach(x), x);  // only the second factor carries gradient: dz/dx = x
  backward(sum(z));
  BOOST_TEST(x->grad[0] == 1.0f);
  Var c = constant(Tensor::full(Shape{2}, 3.0f));
  Var w = mul(c, c);
  BOOST_TEST(!w->requires_grad);
  backward(sum(w));  // nothing requires a gradient: a no-op
}

BOOST_AUTO_TEST_CASE(chain_of_100k_ops_builds_backprops_and_drops) {
  const int n = 100000;
  Var x = parameter(Tensor::full(Shape{3}, 1.0f));
  Var y = x;
  for (int i = 0; i < n; ++i) y = add_scalar(y, 0.0f);
  backward(sum(y));
  BOOST_TEST(x->grad[0] == 1.0f);
  // Dropping a long chain without backward must not recurse either.
  Var z = x;
  for (int i = 0; i < n; ++i) z = scale(z, 1.0f);
  z.reset();
  BOOST_TEST(x.use_count() == 1);
}

BOOST_AUTO_TEST_CASE(seed_shape_is_checked) {
  Var x = parameter(Tensor::full(Shape{2, 2}, 1.0f));
  Var y = mul(x, x);
  BOOST_CHECK_THROW(backward(y), Error);  // non-scalar root needs a seed
  BOOST_CHECK_THROW(backward(y, Tensor::zeros(Shape{4})), Error);
  backward(y, Tensor::full(Shape{2, 2}, 0.5f));
  BOOST_TEST(x->grad[3] == 1.0f);
}

// The checker itself must fail a wrong gradient and a gradient that overwrites instead of adding.
BOOST_AUTO_TEST_CASE(gradcheck_catches_wrong_and_overwriting_backwards) {
  auto wrong = [](const std::vector<Var>& v) {  // y = 2x, backward claims 3
    Tensor y = v[0]->value.clone();
    kernels::scale(y.data(), 2.0f, y.numel());
    return make_op("wrong", y, {v[0]}, [](Node& self) {
      kernels::axpy(3.0f, self.grad.data(), dense_grad(*self.inputs[0]).data(), self.grad.numel());
    });
  };
  auto overwrite = [](const std::vector<Var>& v) {  // right value, but `=` instead of `+=`
    Tensor y = v[0]->value.clone();
    kernels::scale(y.data(), 2.0f, y.numel());
    return make_op("overwrite", y, {v[0]}, [](Node& self) {
      Tensor& g = dense_grad(*self.inputs[0]);
      for (std::int64_t i = 0; i < g.numel(); ++i) g[i] = 2.0f * self.grad[i];
    });
  };
  Tensor x = random_tensor(Shape{7}, 1);
  BOOST_TEST(!gradcheck(wrong, {x}).ok);
  BOOST_TEST(!gradcheck(overwrite, {x}).ok);
  BOOST_TEST(gradcheck([](const std::vector<Var>& v) { return scale(v[0], 2.0f); }, {x}).ok);
  // A constant input must receive no gradient.
  BOOST_TEST(gradcheck([](const std::vector<Var>& v) { return mul(v[0], v[1]); }, {x, x}, {}, {true, false}).ok);
}

BOOST_AUTO_TEST_SUITE_END()
