// OpenBLAS, loaded at run time with the kernels for this CPU (Note [BLAS loading] in
// blas_library.cpp), and the one single-threaded sgemm call through which tensor/gemm.h reaches it.
#pragma once

#include <cstdint>
#include <string>

namespace l2 {

struct BlasInfo {
  std::string library;    // path of the shared object that was loaded
  std::string corename;   // kernel family OpenBLAS uses ("SkylakeX", "Haswell", "Zen", ...)
  std::string config;     // openblas_get_config()
  std::string threading;  // "openmp", "pthread" or "sequential": how the library was built
  std::string coretype_source;  // "user" (OPENBLAS_CORETYPE was set), "l2aug" (we chose it), "openblas"
};

// Loads OpenBLAS on first use and reports what was loaded. Throws l2::Error if no OpenBLAS exists.
const BlasInfo& blas_info();

// One cblas_sgemm call, single-threaded, row-major, operands as gemm's in tensor/gemm.h; loads the
// library on first use (load it outside parallel regions: blas_info()). Dimensions must fit in int.
void openblas_sgemm(bool trans_a, bool trans_b, std::int64_t M, std::int64_t N, std::int64_t K, float alpha,
                    const float* A, std::int64_t lda, const float* B, std::int64_t ldb, float beta, float* C,
                    std::int64_t ldc);

// One sgemm call with no partitioning: what benchmarks compare against when
// they measure OpenBLAS alone. `threads` > 1 lets OpenBLAS use its own threading for that call.
void gemm_openblas_direct(bool trans_a, bool trans_b, std::int64_t M, std::int64_t N, std::int64_t K,
                          const float* A, const float* B, float* C, int threads);

}  // namespace l2
