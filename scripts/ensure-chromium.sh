#!/usr/bin/env bash
# Browser tests drive Debian's Chromium. Install it with apt when it is missing and we may;
# in CI a missing browser is a failure.
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; }; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
  echo "Installing Debian's chromium for the browser tests…"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-liberation >/dev/null
fi
if [ ! -x "$CHROMIUM" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "error: $CHROMIUM is missing and could not be installed; browser tests cannot run." >&2
    exit 1
  fi
  echo "warning: $CHROMIUM is missing and could not be installed: browser tests will be skipped." >&2
fi
