#!/usr/bin/env bash
# Runs a PyTorch baseline script configured at its best on this machine:
#  - Debian's python3-torch with Debian's interpreter (/usr/bin/python3), installed if missing;
#  - the OpenMP build of OpenBLAS loaded by path (LD_LIBRARY_PATH puts it before the pthread default);
#  - OPENBLAS_CORETYPE set from the CPU's features (as l2aug does), unless already set;
#  - the thread count passed explicitly (the script calls torch.set_num_threads).
# usage: bench/torch/run.sh <script.py> [--threads N] [args...]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/../scripts/setup.sh" --bench
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
export LD_LIBRARY_PATH="/usr/lib/$arch/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
  if [[ $flags == *avx512f* && $flags == *avx512bw* && $flags == *avx512vl* && $flags == *avx512dq* ]]; then
    export OPENBLAS_CORETYPE=SkylakeX
  elif [[ $flags == *avx2* && $flags == *fma* ]]; then
    if grep -q AuthenticAMD /proc/cpuinfo; then export OPENBLAS_CORETYPE=Zen; else export OPENBLAS_CORETYPE=Haswell; fi
  fi
fi
script="$1"
shift
exec /usr/bin/python3 "$script" "$@"
