#!/usr/bin/env bash
# Installs the Debian packages Takt builds against (GLPK and its glpsol, SQLite headers),
# skipping apt when they are already there; with --test also what the tests use
# (Chromium, for the report's render checks). Needs root (or sudo) on a fresh machine.
set -euo pipefail
packages=(libglpk-dev glpk-utils libsqlite3-dev)
if [ "${1:-}" = "--test" ]; then packages+=(chromium); fi
if ! dpkg -s "${packages[@]}" >/dev/null 2>&1; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${packages[@]}"
fi
