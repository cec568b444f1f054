// Element-wise kernels: unary maps, binary maps with the broadcasting the models need, and the
// BLAS-1 style helpers (fill, copy, axpy, scale). Forward kernels write; backward kernels
// accumulate (+=) into the gradients they are given and skip a gradient passed as nullptr.
// Every kernel has a scalar `_ref` twin that the tests compare against.
#pragma once

#include <cstdint>

#include "tensor/shape.h"

namespace l2::kernels {

// ---- unary maps: y = f(x), dx += dy * f'(x) ---------------------------------------------------
enum class Unary {
  Neg,      // y = -x             f' = -1
  Exp,      // y = e^x            f' = y
  Log,      // y = ln x           f' = 1/x
  Sqrt,     // y = sqrt x         f' = 1/(2y)
  Relu,     // y = max(x, 0)      f' = [y > 0]
  Sigmoid,  // y = 1/(1+e^-x)     f' = y(1-y)
  Tanh,     // y = tanh x         f' = 1-y^2
  Square,   // y = x^2            f' = 2x
};
const char* unary_name(Unary op);

void unary_forward(Unary op, float* y, const float* x, std::int64_t n);
void unary_forward_ref(Unary op, float* y, const float* x, std::int64_t n);
// Needs x for Log and Square, y for the others (both may be given).
void unary_backward(Unary op, float* dx, const float* dy, const float* x, const float* y, std::int64_t n);
void unary_backward_ref(Unary op, float* dx, const float* dy, const float* x, const float* y, std::int64_t n);

// y = x^p for a scalar p; dx += dy * p * x^(p-1)
void pow_forward(float* y, const float* x, float p, std::int64_t n);
void pow_backward(float* dx, const float* dy, const float* x, float p, std::int64_t n);

// ---- binary maps with broadcasting --------------------------------------------------------------
enum class Binary { Add, Sub, Mul, Div };
const char* binary_name(Binary op);

// How the second operand b is laid over the first, a, which has outer * inner elements:
//   Same    b has a's shape.
//   Row     b has `inner` elements, repeated for each of the `outer` rows ([N,C] with [C], [B,T,C] with [T,C]).
//   Column  b has `outer` elements, each repeated along a row of `inner` ([B,T,C] with [B,T,1] or [B,T]).
//   Scalar  b has one element.
struct Broadcast {
  enum Kind { Same, Row, Column, Scalar } kind = Same;
  std::int64_t outer = 0, inner = 0;
  std::int64_t numel() const { return outer * inner; }
};
// Throws an l2::Error naming `op` and both shapes when b cannot be laid over a.
Broadcast broadcast_for(const char* op, const Shape& a, const Shape& b);

// out[i] = a[i] (op) b[bcast(i)]; out has a's size.
void binary_forward(Binary op, float* out, const float* a, const float* b, const Broadcast& bc);
void binary_forward_ref(Binary op, float* out, const float* a, const float* b, const Broadcast& bc);
// da += dy * d(out)/da;  db += sum over the broadcast copies of dy * d(out)/db.
void binary_backward(Binary op, float* da, float* db, const float* dy, const float* a, const float* b,
                     const Broadcast& bc);
void binary_backward_ref(Binary op, float* da, float* db, const float* dy, const float* a, const float* b,
                         const Broadcast& bc);

// ---- BLAS-1 helpers ---------------------------------------------------------------------------
void fill(float* y, float value, std::int64_t n);
void copy(float* y, const float* x, std::int64_t n);
void axpy(float a, const float* x, float* y, std::int64_t n);  // y += a*x
void axpy_ref(float a, const float* x, float* y, std::int64_t n);
void scale(float* y, float a, std::int64_t n);  // y *= a
void scale_ref(float* y, float a, std::int64_t n);
void add_scalar(float* y, const float* x, float a, std::int64_t n);  // y = x + a
float dot(const float* x, const float* y, std::int64_t n);            // one thread, fixed lane order
float dot_ref(const float* x, const float* y, std::int64_t n);

}  // namespace l2::kernels
