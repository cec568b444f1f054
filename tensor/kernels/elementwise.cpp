#include "tensor/kernels/elementwise.h"

#include <cmath>
#include <vector>

#include "tensor/check.h"
#include "tensor/parallel.h"
#include "tensor/simd.h"

namespace l2::kernels {

namespace {

// relu and its gradient for a float and for a Batch (xsimd 8.1 has no float overloads of max/select).
inline float relu(float x) { return x > 0.0f ? x : 0.0f; }
inline Batch relu(const Batch& x) { return xsimd::max(x, Batch(0.0f)); }
inline float relu_grad(float dy, float y) { return y > 0.0f ? dy : 0.0f; }
inline Batch relu_grad(const Batch& dy, const Batch& y) { return xsimd::select(y > Batch(0.0f), dy, Batch(0.0f)); }

// The maths of each unary op, written once for a float and for a Batch (generic lambdas: the
// unqualified calls find std:: for float and xsimd:: for Batch by argument-dependent lookup).
template <class F>
void unary_dispatch(Unary op, F&& f) {
  using std::exp, std::log, std::sqrt, std::tanh;
  switch (op) {
    case Unary::Neg:
      return f([](auto x) { return -x; }, [](auto dy, auto, auto) { return -dy; });
    case Unary::Exp:
      return f([](auto x) { return exp(x); }, [](auto dy, auto, auto y) { return dy * y; });
    case Unary::Log:
      return f([](auto x) { return log(x); }, [](auto dy, auto x, auto) { return dy / x; });
    case Unary::Sqrt:
      return f([](auto x) { return sqrt(x); }, [](auto dy, auto, auto y) { return dy * decltype(y)(0.5f) / y; });
    case Unary::Relu:
      return f([](auto x) { return relu(x); }, [](auto dy, auto, auto y) { return relu_grad(dy, y); });
    case Unary::Sigmoid:
      return f([](auto x) { return decltype(x)(1.0f) / (decltype(x)(1.0f) + exp(-x)); },
               [](auto dy, auto, auto y) { return dy * y * (decltype(y)(1.0f) - y); });
    case Unary::Tanh:
      return f([](auto x) { return tanh(x); }, [](auto dy, auto, auto y) { return dy * (decltype(y)(1.0f) - y * y); });
    case Unary::Square:
      return f([](auto x) { return x * x; }, [](auto dy, auto x, auto) { return decltype(x)(2.0f) * dy * x; });
  }
}

}  // namespace

const char* unary_name(Unary op) {
  switch (op) {
    case Unary::Neg: return "neg";
    case Unary::Exp: return "exp";
    case Unary::Log: return "log";
    case Unary::Sqrt: return "sqrt";
    case Unary::Relu: return "relu";
    case Unary::Sigmoid: return "sigmoid";
    case Unary::Tanh: return "tanh";
    case Unary::Square: return "square";
  }
  return "?";
}

const char* binary_name(Binary op) {
  switch (op) {
    case Binary::Add: return "add";
    case Binary::Sub: return "sub";
    case Binary::Mul: return "mul";
    case Binary::Div: return "div";
  }
  return "?";
}

void unary_forward_ref(Unary op, float* y, const float* x, std::int64_t n) {
  unary_dispatch(op, [&](auto f, auto) {
    for (std::int64_t i = 0; i < n; ++i) y[i] = f(x[i]);
  });
}

void unary_forward(Unary op, float* y, const float* x, std::int64_t n) {
  unary_dispatch(op, [&](auto f, auto) {
    parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
      std::int64_t i = b;
      for (; i + kWidth <= e; i += kWidth) store(y + i, f(load(x + i)));
      for (; i < e; ++i) y[i] = f(x[i]);
    });
  });
}

void unary_backward_ref(Unary op, float* dx, const float* dy, const float* x, const float* y, std::int64_t n) {
  const float* xs = x ? x : dy;
  const float* ys = y ? y : dy;
  unary_dispatch(op, [&](auto, auto g) {
    for (std::int64_t i = 0; i < n; ++i) dx[i] += g(dy[i], xs[i], ys[i]);
  });
}

void unary_backward(Unary op, float* dx, const float* dy, const float* x, const float* y, std::int64_t n) {
  // A missing operand is never read by the op's formula; point it at dy to keep loads valid.
  const float* xs = x ? x : dy;
  const float* ys = y ? y : dy;
  unary_dispatch(op, [&](auto, auto g) {
    parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
      std::int64_t i = b;
      for (; i + kWidth <= e; i += kWidth) store(dx + i, load(dx + i) + g(load(dy + i), load(xs + i), load(ys + i)));
      for (; i < e; ++i) dx[i] += g(dy[i], xs[i], ys[i]);
    });
  });
}

void pow_forward(float* y, const float* x, float p, std::int64_t n) {
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) y[i] = std::pow(x[i], p);
  });
}

void pow_backward(float* dx, const float* dy, const float* x, float p, std::int64_t n) {
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) dx[i] += dy[i] * p * std::pow(x[i], p - 1.0f);
  });
}

// ---- binary ----------------------------------------------------------------------------------

Broadcast broadcast_for(const char* op, const Shape& a, const Shape& b) {
  const std::int64_t na = a.numel(), nb = b.numel();
  if (a == b) return {Broadcast::Same, 1, na};
  if (nb == 1) return {Broadcast::Scalar, na, 1};
  // Row: b's dims equal a's trailing dims.
  if (b.ndim() <= a.ndim() && b == a.suffix(a.ndim() - b.ndim())) return {Broadcast::Row, na / nb, nb};
  // Column: b's dims equal a's leading dims, optionally followed by 1s.
  int k = b.ndim();
  while (k > 0 && b[k - 1] == 1) --k;
  if (k < a.ndim()) {
    bool prefix = true;
    for (int i = 0; i < k; ++i) prefix = prefix && a[i] == b[i];
    if (prefix && nb > 0 && na % nb == 0) return {Broadcast::Column, nb, na / nb};
  }
  L2_FAIL(op << ": cannot broadcast " << b << " over " << a
             << " (supported: same shape, a trailing-dims suffix like [C] over [N,C], "
                "a leading-dims prefix like [B,T,1] over [B,T,C], or one element)");
}

namespace {

// Each binary op: its value, and the parts of its gradient that flow to a and to b.
template <class F>
void binary_dispatch(Binary op, F&& f) {
  switch (op) {
    case Binary::Add:
      return f([](auto a, auto b) { return a + b; }, [](auto dy, auto, auto) { return dy; },
               [](auto dy, auto, auto) { return dy; });
    case Binary::Sub:
      return f([](auto a, auto b) { return a - b; }, [](auto dy, auto, auto) { return dy; },
               [](auto dy, auto, auto) { return -dy; });
    case Binary::Mul:
      return f([](auto a, auto b) { return a * b; }, [](auto dy, auto, auto b) { return dy * b; },
               [](auto dy, auto a, auto) { return dy * a; });
    case Binary::Div:
      return f([](auto a, auto b) { return a / b; }, [](auto dy, auto, auto b) { return dy / b; },
               [](auto dy, auto a, auto b) { return -dy * a / (b * b); });
  }
}

// Calls body(row_begin, row_end) over the `outer` rows in fixed blocks of about kElementBlock elements.
template <class Body>
void for_rows(const Broadcast& bc, Body&& body) {
  parallel_for(bc.outer, row_block(bc.inner), body);
}

}  // namespace

void binary_forward_ref(Binary op, float* out, const float* a, const float* b, const Broadcast& bc) {
  binary_dispatch(op, [&](auto f, auto, auto) {
    for (std::int64_t r = 0; r < bc.outer; ++r)
      for (std::int64_t j = 0; j < bc.inner; ++j) {
        const std::int64_t i = r * bc.inner + j;
        const float bi = bc.kind == Broadcast::Same ? b[i]
                         : bc.kind == Broadcast::Row ? b[j]
                         : bc.kind == Broadcast::Column ? b[r]
                                                        : b[0];
        out[i] = f(a[i], bi);
      }
  });
}

void binary_forward(Binary op, float* out, const float* a, const float* b, const Broadcast& bc) {
  binary_dispatch(op, [&](auto f, auto, auto) {
    if (bc.kind == Broadcast::Same || bc.kind == Broadcast::Scalar) {
      const bool scalar = bc.kind == Broadcast::Scalar;
      const float bs = scalar ? b[0] : 0.0f;
      const Batch bv(bs);
      parallel_for(bc.numel(), kElementBlock, [&](std::int64_t s, std::int64_t e) {
        std::int64_t i = s;
        for (; i + kWidth <= e; i += kWidth) store(out + i, f(load(a + i), scalar ? bv : load(b + i)));
        for (; i < e; ++i) out[i] = f(a[i], scalar ? bs : b[i]);
      });
      return;
    }
    const std::int64_t C = bc.inner;
    for_rows(bc, [&](std::int64_t r0, std::int64_t r1) {
      for (std::int64_t r = r0; r < r1; ++r) {
        const float* ar = a + r * C;
        float* o = out + r * C;
        const bool row = bc.kind == Broadcast::Row;
        const float* br = row ? b : nullptr;
        const Batch bv(row ? 0.0f : b[r]);
        std::int64_t j = 0;
        for (; j + kWidth <= C; j += kWidth) store(o + j, f(load(ar + j), row ? load(br + j) : bv));
        for (; j < C; ++j) o[j] = f(ar[j], row ? br[j] : b[r]);
      }
    });
  });
}

void binary_backward_ref(Binary op, float* da, float* db, const float* dy, const float* a, const float* b,
                         const Broadcast& bc) {
  binary_dispatch(op, [&](auto, auto ga, auto gb) {
    for (std::int64_t r = 0; r < bc.outer; ++r)
      for (std::int64_t j = 0; j < bc.inner; ++j) {
        const std::int64_t i = r * bc.inner + j;
        const std::int64_t bi = bc.kind == Broadcast::Same ? i
                                : bc.kind == Broadcast::Row ? j
                                : bc.kind == Broadcast::Column ? r
                                                               : 0;
        if (da) da[i] += ga(dy[i], a[i], b[bi]);
        if (db) db[bi] += gb(dy[i], a[i], b[bi]);
      }
  });
}

void binary_backward(Binary op, float* da, float* db, const float* dy, const float* a, const float* b,
                     const Broadcast& bc) {
  binary_dispatch(op, [&](auto, auto ga, auto gb) {
    const std::int64_t C = bc.inner;
    // Value of b for element (r, j) under each broadcast kind.
    auto b_at = [&](std::int64_t r, std::int64_t j) {
      switch (bc.kind) {
        case Broadcast::Same: return b[r * C + j];
        case Broadcast::Row: return b[j];
        case Broadcast::Column: return b[r];
        case Broadcast::Scalar: break;
      }
      return b[0];
    };
    auto b_vec = [&](std::int64_t r, std::int64_t j) {
      switch (bc.kind) {
        case Broadcast::Same: return load(b + r * C + j);
        case Broadcast::Row: return load(b + j);
        case Broadcast::Column: return Batch(b[r]);
        case Broadcast::Scalar: break;
      }
      return Batch(b[0]);
    };
    // The [outer, inner] view: for Same and Scalar, rows of kElementBlock keep tails at block ends.
    Broadcast view = bc;
    if (bc.kind == Broadcast::Same || bc.kind == Broadcast::Scalar) view = {bc.kind, 1, bc.numel()};
    const std::int64_t VC = view.inner;
    auto vb_at = [&](std::int64_t i) { return bc.kind == Broadcast::Same ? b[i] : b[0]; };
    auto vb_vec = [&](std::int64_t i) { return bc.kind == Broadcast::Same ? load(b + i) : Batch(b[0]); };

    if (da) {
      if (view.outer == 1) {
        parallel_for(VC, kElementBlock, [&](std::int64_t s, std::int64_t e) {
          std::int64_t i = s;
          for (; i + kWidth <= e; i += kWidth) store(da + i, load(da + i) + ga(load(dy + i), load(a + i), vb_vec(i)));
          for (; i < e; ++i) da[i] += ga(dy[i], a[i], vb_at(i));
        });
      } else {
        for_rows(bc, [&](std::int64_t r0, std::int64_t r1) {
          for (std::int64_t r = r0; r < r1; ++r) {
            std::int64_t j = 0, o = r * C;
            for (; j + kWidth <= C; j += kWidth)
              store(da + o + j, load(da + o + j) + ga(load(dy + o + j), load(a + o + j), b_vec(r, j)));
            for (; j < C; ++j) da[o + j] += ga(dy[o + j], a[o + j], b_at(r, j));
          }
        });
      }
    }
    if (!db) return;
    switch (bc.kind) {
      case Broadcast::Same:
        parallel_for(VC, kElementBlock, [&](std::int64_t s, std::int64_t e) {
          std::int64_t i = s;
          for (; i + kWidth <= e; i += kWidth) store(db + i, load(db + i) + gb(load(dy + i), load(a + i), load(b + i)));
          for (; i < e; ++i) db[i] += gb(dy[i], a[i], b[i]);
        });
        return;
      case Broadcast::Column:  // db[r] += sum_j gb(dy[r,j], a[r,j], b[r]): one row, one thread
        for_rows(bc, [&](std::int64_t r0, std::int64_t r1) {
          for (std::int64_t r = r0; r < r1; ++r) {
            const std::int64_t o = r * C;
            Batch acc(0.0f);
            std::int64_t j = 0;
            for (; j + kWidth <= C; j += kWidth) acc += gb(load(dy + o + j), load(a + o + j), Batch(b[r]));
            float s = hsum(acc);
            for (; j < C; ++j) s += gb(dy[o + j], a[o + j], b[r]);
            db[r] += s;
          }
        });
        return;
      case Broadcast::Row: {  // db[j] += sum_r ...: partial sums per fixed block of rows, added in order
        const std::int64_t rb = row_block(C);
        const std::int64_t nblocks = (bc.outer + rb - 1) / rb;
        std::vector<float> partial(static_cast<size_t>(nblocks * C), 0.0f);
        parallel_for(bc.outer, rb, [&](std::int64_t r0, std::int64_t r1) {
          float* p = partial.data() + (r0 / rb) * C;
          for (std::int64_t r = r0; r < r1; ++r) {
            const std::int64_t o = r * C;
            std::int64_t j = 0;
            for (; j + kWidth <= C; j += kWidth)
              store(p + j, load(p + j) + gb(load(dy + o + j), load(a + o + j), load(b + j)));
            for (; j < C; ++j) p[j] += gb(dy[o + j], a[o + j], b[j]);
          }
        });
        for (std::int64_t k = 0; k < nblocks; ++k)
          for (std::int64_t j = 0; j < C; ++j) db[j] += partial[size_t(k * C + j)];
        return;
      }
      case Broadcast::Scalar: {  // fixed blocks of kSumBlock, added in order
        const std::int64_t n = bc.numel();
        const std::int64_t nblocks = (n + kSumBlock - 1) / kSumBlock;
        std::vector<float> partial(static_cast<size_t>(nblocks), 0.0f);
        parallel_for(nblocks, 8, [&](std::int64_t k0, std::int64_t k1) {
          for (std::int64_t k = k0; k < k1; ++k) {
            const std::int64_t s = k * kSumBlock, e = s + kSumBlock < n ? s + kSumBlock : n;
            Batch acc(0.0f);
            std::int64_t i = s;
            for (; i + kWidth <= e; i += kWidth) acc += gb(load(dy + i), load(a + i), Batch(b[0]));
            float t = hsum(acc);
            for (; i < e; ++i) t += gb(dy[i], a[i], b[0]);
            partial[size_t(k)] = t;
          }
        });
        double s = 0.0;
        for (float p : partial) s += p;
        db[0] += float(s);
        return;
      }
    }
  });
}

// ---- BLAS-1 ------------------------------------------------------------------------------------

void fill(float* y, float value, std::int64_t n) {
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) y[i] = value;
  });
}

void copy(float* y, const float* x, std::int64_t n) {
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) y[i] = x[i];
  });
}

void axpy_ref(float a, const float* x, float* y, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) y[i] += a * x[i];
}

void axpy(float a, const float* x, float* y, std::int64_t n) {
  const Batch va(a);
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    std::int64_t i = b;
    for (; i + kWidth <= e; i += kWidth) store(y + i, xsimd::fma(va, load(x + i), load(y + i)));
    for (; i < e; ++i) y[i] = std::fma(a, x[i], y[i]);
  });
}

void scale_ref(float* y, float a, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) y[i] *= a;
}

void scale(float* y, float a, std::int64_t n) {
  const Batch va(a);
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    std::int64_t i = b;
    for (; i + kWidth <= e; i += kWidth) store(y + i, load(y + i) * va);
    for (; i < e; ++i) y[i] *= a;
  });
}

void add_scalar(float* y, const float* x, float a, std::int64_t n) {
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) y[i] = x[i] + a;
  });
}

float dot_ref(const float* x, const float* y, std::int64_t n) {
  double s = 0.0;
  for (std::int64_t i = 0; i < n; ++i) s += double(x[i]) * y[i];
  return float(s);
}

float dot(const float* x, const float* y, std::int64_t n) {
  Batch acc(0.0f);
  std::int64_t i = 0;
  for (; i + kWidth <= n; i += kWidth) acc = xsimd::fma(load(x + i), load(y + i), acc);
  float s = hsum(acc);
  for (; i < n; ++i) s += x[i] * y[i];
  return s;
}

}  // namespace l2::kernels
