#!/usr/bin/env bash
# Installs the optional peers used by tests and benchmarks: libvips and
# ImageMagick (strict readers for the corpus conformance test and peers in the
# benchmark harness). Safe to re-run; does nothing when they are present.
#
#   scripts/setup-tools.sh          libvips-tools, imagemagick
#   scripts/setup-tools.sh --bench  also libvips-dev, pkg-config and a C
#                                   compiler, to build the one-process libvips
#                                   peer (benchmarks/peers/vips_prep.c)
set -euo pipefail
bench=0
[ "${1:-}" = "--bench" ] && bench=1
need=()
command -v vipsheader >/dev/null 2>&1 || need+=(libvips-tools)
# Debian's /usr/bin/identify comes with imagemagick; a stand-in convert
# elsewhere on PATH is not enough.
[ -x /usr/bin/identify ] || need+=(imagemagick)
if [ $bench -eq 1 ]; then
  command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
  command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)
  pkg-config --exists vips 2>/dev/null || need+=(libvips-dev)
  command -v heif-enc >/dev/null 2>&1 || need+=(libheif-examples) # the HEIC bench input
fi
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO=sudo
  if ! $SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >/tmp/imgprep-apt.log 2>&1; then
    $SUDO apt-get update -q >/tmp/imgprep-apt.log 2>&1 || true
    $SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >>/tmp/imgprep-apt.log 2>&1 ||
      echo "setup-tools: could not install ${need[*]} (see /tmp/imgprep-apt.log); tests that need them will skip" >&2
  fi
fi
exit 0
