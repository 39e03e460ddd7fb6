#!/usr/bin/env bash
# Installs the Debian packages Takt builds against (GLPK and its glpsol, SQLite headers),
# skipping apt when they are already there; with --test also what the tests use
# (Chromium, for the report's render checks; Python 3 with Dask's dask and distributed from
# PyPI, for python/tests, the takt-dask test). Needs root (or sudo) on a fresh machine.
# Dask goes into python3's own environment; where pip refuses that (an "externally managed"
# Debian Python), into the virtual environment .venv-dask at the repository's root, which
# scripts/test.sh then uses.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
with_tests=0
if [ "${1:-}" = "--test" ]; then with_tests=1; fi
packages=(libglpk-dev glpk-utils libsqlite3-dev)
if [ "$with_tests" = 1 ]; then
  packages+=(chromium)
  # python3 itself, pip, and venv's ensurepip (Debian splits them out) where they are missing.
  if ! command -v python3 >/dev/null 2>&1; then
    packages+=(python3 python3-pip python3-venv)
  else
    python3 -m pip --version >/dev/null 2>&1 || packages+=(python3-pip)
    python3 -c 'import ensurepip' >/dev/null 2>&1 || packages+=(python3-venv)
  fi
fi
if ! dpkg -s "${packages[@]}" >/dev/null 2>&1; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${packages[@]}"
fi

if [ "$with_tests" = 1 ]; then
  dask_requirements=("dask>=2024.1.0" "distributed>=2024.1.0")  # as in python/pyproject.toml
  export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
  venv="$root/.venv-dask"
  has_dask() { "$1" -c 'import dask, distributed' >/dev/null 2>&1; }
  if has_dask python3 || { [ -x "$venv/bin/python" ] && has_dask "$venv/bin/python"; }; then
    :
  else
    pip_log="$(mktemp)"
    trap 'rm -f "$pip_log"' EXIT
    if python3 -m pip install --quiet "${dask_requirements[@]}" 2>"$pip_log"; then
      :
    elif grep -qi 'externally-managed-environment' "$pip_log"; then
      echo "install-deps: python3 is externally managed; installing Dask into $venv" >&2
      python3 -m venv "$venv"
      "$venv/bin/python" -m pip install --quiet "${dask_requirements[@]}"
    else
      cat "$pip_log" >&2
      echo "install-deps: pip could not install ${dask_requirements[*]}" >&2
      exit 1
    fi
  fi
fi
