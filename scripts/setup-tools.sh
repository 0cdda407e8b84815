#!/usr/bin/env bash
# Installs the optional peers used by tests and benchmarks: libvips and
# ImageMagick (strict readers for the corpus conformance test and peers in the
# benchmark harness), and the official openai npm SDK v5 (the proxy's SDK
# test; v7 needs Node 22) into ${XDG_CACHE_HOME:-$HOME/.cache}/imgprep-node,
# outside the repository. Safe to re-run; does nothing when they are present.
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
  command -v cjpeg >/dev/null 2>&1 || need+=(libjpeg-turbo-progs) # the progressive 24 MP bench input
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
# The openai npm SDK, when npm is there (cmd/imgprep's proxy SDK test finds
# it in this directory, or in IMGPREP_NODE_DIR, and skips without it).
if command -v npm >/dev/null 2>&1; then
  node_dir="${IMGPREP_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/imgprep-node}"
  if ! grep -qs '"version": "5\.' "$node_dir/node_modules/openai/package.json"; then
    mkdir -p "$node_dir"
    [ -f "$node_dir/package.json" ] || echo '{"private": true}' >"$node_dir/package.json"
    (cd "$node_dir" && timeout 300 npm install --no-audit --no-fund --silent openai@5 >/tmp/imgprep-npm.log 2>&1) ||
      echo "setup-tools: could not install the openai npm SDK into $node_dir (see /tmp/imgprep-npm.log); the proxy's SDK test will skip" >&2
  fi
fi
exit 0
