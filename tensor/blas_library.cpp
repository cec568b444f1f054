// Note [BLAS loading]
// Debian 12 ships OpenBLAS 0.3.21 as two builds, pthread (the system default) and OpenMP. Two
// facts decide how we use it:
//  * The library picks its kernels (its "core type") when it is loaded. 0.3.21 does not know
//    recent Intel cores (Sapphire/Emerald Rapids) and falls back to its oldest kernels there,
//    several times slower (bench/RESULTS.md), unless OPENBLAS_CORETYPE is set *before* the library loads. An environment
//    variable set in main() is too late for a library the executable links against, because the
//    dynamic loader runs OpenBLAS's constructor before main.
//  * The pthread build keeps a thread pool of its own beside OpenMP's; with both active the two
//    pools fight for the cores. The OpenMP build shares our OpenMP runtime instead, but it is not
//    the system default, so it has to be loaded by path.
// So the tensor library does not link OpenBLAS. On first use it sets OPENBLAS_CORETYPE from the
// CPU's features (unless the user set it: a user's choice is respected), then dlopen()s the
// OpenMP build by path, falling back to the pthread build and to the default soname. The path can
// be forced with L2AUG_BLAS=/path/to/libopenblas.so. Every call is single-threaded (the OpenMP
// build takes its thread count from OpenMP, so openblas_sgemm sets that to 1 around a call made outside a
// parallel region); we parallelise over a fixed split of the output ourselves
// (Note [Determinism] in parallel.h).
#include "tensor/blas_library.h"

#include <dlfcn.h>
#include <omp.h>

#include <cstdlib>
#include <vector>

#include "tensor/check.h"

#ifndef L2_OPENBLAS_CANDIDATES
#define L2_OPENBLAS_CANDIDATES "libopenblas.so.0"
#endif

namespace l2 {

namespace {

// CBLAS enum values (cblas.h); declared here because the library is not linked.
constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;

using SgemmFn = void (*)(int order, int ta, int tb, int M, int N, int K, float alpha, const float* A,
                         int lda, const float* B, int ldb, float beta, float* C, int ldc);
using SetThreadsFn = void (*)(int);
using GetStringFn = char* (*)();
using GetIntFn = int (*)();

struct Blas {
  BlasInfo info;
  SgemmFn sgemm = nullptr;
  SetThreadsFn set_num_threads = nullptr;
};

// The OpenBLAS core type for this CPU, or "" to let OpenBLAS decide.
std::string coretype_for_this_cpu() {
  __builtin_cpu_init();
  const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
  if (avx512) return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return __builtin_cpu_is("amd") ? "Zen" : "Haswell";
  return "";
}

std::vector<std::string> candidate_paths() {
  std::vector<std::string> paths;
  if (const char* forced = std::getenv("L2AUG_BLAS"); forced && *forced) {
    paths.emplace_back(forced);
    return paths;
  }
  std::string all = L2_OPENBLAS_CANDIDATES;  // ';'-separated, from CMake
  size_t start = 0;
  while (start <= all.size()) {
    size_t end = all.find(';', start);
    if (end == std::string::npos) end = all.size();
    if (end > start) paths.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  return paths;
}

Blas load_blas() {
  Blas blas;
  if (const char* user = std::getenv("OPENBLAS_CORETYPE"); user && *user) {
    blas.info.coretype_source = "user";
  } else if (std::string core = coretype_for_this_cpu(); !core.empty()) {
    setenv("OPENBLAS_CORETYPE", core.c_str(), 1);
    blas.info.coretype_source = "l2aug";
  } else {
    blas.info.coretype_source = "openblas";
  }
  // One BLAS thread: no pthread pool is started, and we split the work ourselves.
  setenv("OPENBLAS_NUM_THREADS", "1", 1);

  // Loading the OpenMP build resets OpenMP's thread count (goto_set_num_threads calls
  // omp_set_num_threads); keep the user's setting.
  const int threads = omp_get_max_threads();
  void* handle = nullptr;
  std::string tried;
  for (const std::string& path : candidate_paths()) {
    handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle) {
      blas.info.library = path;
      break;
    }
    tried += "\n  " + path + ": " + dlerror();
  }
  L2_CHECK(handle, "cannot load OpenBLAS; tried:" << tried
                       << "\n---> HINT: run scripts/setup.sh (Debian packages libopenblas0-openmp "
                          "libopenblas-dev), or set L2AUG_BLAS=/path/to/libopenblas.so");
  blas.sgemm = reinterpret_cast<SgemmFn>(dlsym(handle, "cblas_sgemm"));
  blas.set_num_threads = reinterpret_cast<SetThreadsFn>(dlsym(handle, "openblas_set_num_threads"));
  auto corename = reinterpret_cast<GetStringFn>(dlsym(handle, "openblas_get_corename"));
  auto config = reinterpret_cast<GetStringFn>(dlsym(handle, "openblas_get_config"));
  auto parallel = reinterpret_cast<GetIntFn>(dlsym(handle, "openblas_get_parallel"));
  L2_CHECK(blas.sgemm && blas.set_num_threads && corename && config && parallel,
           blas.info.library << " does not look like OpenBLAS (cblas_sgemm or openblas_* missing)");
  blas.set_num_threads(1);
  omp_set_num_threads(threads);
  blas.info.corename = corename();
  blas.info.config = config();
  const int p = parallel();
  blas.info.threading = p == 2 ? "openmp" : p == 1 ? "pthread" : "sequential";
  return blas;
}

const Blas& blas() {
  static const Blas b = load_blas();  // thread-safe one-time initialisation
  return b;
}

}  // namespace

const BlasInfo& blas_info() { return blas().info; }

void openblas_sgemm(bool ta, bool tb, std::int64_t M, std::int64_t N, std::int64_t K, float alpha, const float* A,
            std::int64_t lda, const float* B, std::int64_t ldb, float beta, float* C, std::int64_t ldc) {
  if (M == 0 || N == 0) return;
  if (K == 0) {  // BLAS leaves C alone only when beta == 1; make the empty sum explicit
    for (std::int64_t i = 0; i < M; ++i)
      for (std::int64_t j = 0; j < N; ++j) C[i * ldc + j] = beta == 0.0f ? 0.0f : beta * C[i * ldc + j];
    return;
  }
  // The OpenMP build of OpenBLAS ignores openblas_set_num_threads and takes its thread count
  // from omp_get_max_threads() whenever it is called outside an active parallel region; make that 1.
  const int outer_threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  if (outer_threads > 1) omp_set_num_threads(1);
  blas().sgemm(kRowMajor, ta ? kTrans : kNoTrans, tb ? kTrans : kNoTrans, int(M), int(N), int(K), alpha, A,
               int(lda), B, int(ldb), beta, C, int(ldc));
  if (outer_threads > 1) omp_set_num_threads(outer_threads);
}

void gemm_openblas_direct(bool ta, bool tb, std::int64_t M, std::int64_t N, std::int64_t K, const float* A,
                          const float* B, float* C, int threads) {
  const Blas& b = blas();
  const int omp_threads = omp_get_max_threads();
  b.set_num_threads(threads);  // the pthread build reads this,
  omp_set_num_threads(threads);  // the OpenMP build this
  b.sgemm(kRowMajor, ta ? kTrans : kNoTrans, tb ? kTrans : kNoTrans, int(M), int(N), int(K), 1.0f, A,
          int(ta ? M : K), B, int(tb ? K : N), 0.0f, C, int(N));
  b.set_num_threads(1);
  omp_set_num_threads(omp_threads);
}

}  // namespace l2
