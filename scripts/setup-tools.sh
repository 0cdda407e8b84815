#!/usr/bin/env bash
# Installs the optional peers used by tests and benchmarks: libvips and
# ImageMagick (strict readers for the corpus conformance test and peers in the
# benchmark harness). Safe to re-run; does nothing when they are present.
set -euo pipefail
need=()
command -v vipsheader >/dev/null 2>&1 || need+=(libvips-tools)
# Debian's /usr/bin/identify comes with imagemagick; a stand-in convert
# elsewhere on PATH is not enough.
[ -x /usr/bin/identify ] || need+=(imagemagick)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO=sudo
  if ! $SUDO apt-get install -y -q "${need[@]}" >/tmp/imgprep-apt.log 2>&1; then
    $SUDO apt-get update -q >/tmp/imgprep-apt.log 2>&1 || true
    $SUDO apt-get install -y -q "${need[@]}" >>/tmp/imgprep-apt.log 2>&1 ||
      echo "setup-tools: could not install ${need[*]} (see /tmp/imgprep-apt.log); tests that need them will skip" >&2
  fi
fi
exit 0
