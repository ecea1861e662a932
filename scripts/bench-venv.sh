#!/usr/bin/env bash
# The Python environment of the peer benchmarks (bin/bench-vs-peers, bin/bench-sweeps-vs-jax): torch
# (CPU), jax, numpy and pyarrow. Prints its path; creates it with pip on first use, honouring
# PIP_INDEX_URL / PIP_EXTRA_INDEX_URL. OVERPARAM_BENCH_VENV moves it (default target/bench-venv).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${OVERPARAM_BENCH_VENV:-$here/target/bench-venv}"
if ! "$venv/bin/python" -c "import torch, jax, numpy, pyarrow" 2>/dev/null; then
  echo "bench: installing torch (CPU), jax, numpy and pyarrow into $venv ..." >&2
  python3 -m venv "$venv"
  # Retries only slow down an unreachable default index when a local mirror serves the packages.
  PIP_RETRIES="${PIP_RETRIES:-1}" "$venv/bin/pip" install -q torch jax jaxlib numpy pyarrow >&2
fi
echo "$venv"
