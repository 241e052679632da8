#!/usr/bin/env bash
# The load run drives the server with Debian's wrk: install it with apt when it is missing and
# we may.
set -euo pipefail
command -v wrk >/dev/null 2>&1 && exit 0
if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; }; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
  echo "Installing Debian's wrk for the load run…"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null 2>&1 || {
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
  }
fi
command -v wrk >/dev/null 2>&1 || { echo "error: wrk is missing and could not be installed." >&2; exit 1; }
