#!/usr/bin/env bash
# Installs the Debian 12 packages that l2aug builds and tests with. Does nothing when all are
# present. Extras on request:
#   scripts/setup.sh --bench   also PyTorch (python3-torch), for the baseline scripts in bench/
#   scripts/setup.sh --mpi     also OpenMPI, for `mpirun l2aug experiment`
#   scripts/setup.sh --fuzz    also clang 14 with libFuzzer and its OpenMP, for tests/fuzz/
set -euo pipefail

packages=(g++ cmake ninja-build git libopenblas-dev libopenblas0-openmp libxsimd-dev libcereal-dev
          libboost-test-dev zlib1g-dev nlohmann-json3-dev)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(python3 python3-torch python3-numpy) ;;
    --mpi) packages+=(libopenmpi-dev openmpi-bin) ;;
    --fuzz) packages+=(clang-14 libclang-rt-14-dev libomp-14-dev) ;;
    *) echo "setup.sh: unknown option $arg (known: --bench, --mpi, --fuzz)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup.sh: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "setup.sh: installing ${missing[*]}"
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
