# Finds the Debian 12 packages l2aug builds on. scripts/setup.sh installs them.
find_package(OpenMP REQUIRED COMPONENTS CXX)
find_package(ZLIB REQUIRED)
find_package(cereal REQUIRED)
find_package(Threads REQUIRED)
# JSON for configuration files, result files and checkpoints' configuration (Debian nlohmann-json3-dev).
find_package(nlohmann_json 3.10 REQUIRED)

# xsimd: Debian's packaged CMake target lists a missing `xtl` library, so we find the header
# ourselves and wrap it in a target of our own.
find_path(XSIMD_INCLUDE_DIR xsimd/xsimd.hpp REQUIRED)
add_library(l2_xsimd INTERFACE)
target_include_directories(l2_xsimd SYSTEM INTERFACE ${XSIMD_INCLUDE_DIR})

# OpenBLAS is not linked: tensor/blas_library.cpp dlopen()s it by path at run time, after choosing the
# kernel core type (see the Note [BLAS loading] there). Here we only record where the OpenMP
# build lives; the pthread build and the system default are run-time fallbacks.
set(L2_OPENBLAS_CANDIDATES
    "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp/libopenblas.so.0"
    "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-pthread/libopenblas.so.0"
    "libopenblas.so.0")
set(L2_OPENBLAS_OPENMP "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp/libopenblas.so.0")
if(NOT EXISTS "${L2_OPENBLAS_OPENMP}")
  message(WARNING "OpenBLAS OpenMP build not found at ${L2_OPENBLAS_OPENMP}; "
                  "run scripts/setup.sh (package libopenblas0-openmp). Falling back at run time.")
endif()

if(L2_BUILD_TESTS)
  find_package(Boost 1.74 REQUIRED COMPONENTS unit_test_framework)
endif()
