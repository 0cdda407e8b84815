#!/usr/bin/env bash
# Makes the benchmark harness's generated inputs from the shared bench
# photos, with Debian 12's vips and cjpeg (libjpeg-turbo-progs):
#
#   photo24_progressive.jpg  the 12 MP reference photo scaled by vips
#                            (Lanczos3) to 5685x4264 (24 MP, 3.6 MB: the
#                            detailed photo, not the smooth Leica one),
#                            written by cjpeg -progressive -quality 90
#                            (4:2:0): the large progressive JPEG of issue 12
#   rgba1024_s7edge.png      the reference photo fitted in 1024x1024 and
#                            padded transparent by vips (RGBA, compression
#                            6): a PNG that gpt-image-1 takes as it is, for
#                            the passthrough job
#
#   scripts/make-bench-inputs.sh OUTDIR [PHOTO_DIR]
#
# scripts/bench.sh runs it (about 10 s) and passes OUTDIR to the harness as
# -extra-dir; scripts/setup-tools.sh --bench installs vips and cjpeg.
# Prints what it made on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: make-bench-inputs.sh OUTDIR [PHOTO_DIR]}
photos=${2:-${IMGPREP_SHARED:-../shared}/bench-photos}
for t in cjpeg vips vipsheader; do
  command -v $t >/dev/null || { echo "make-bench-inputs: needs $t (scripts/setup-tools.sh --bench)" >&2; exit 1; }
done
for f in photo12_s7edge.jpg; do
  [ -f "$photos/$f" ] || { echo "make-bench-inputs: $photos/$f not found" >&2; exit 1; }
done
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# 24 MP: 1.41 times the 4032x3024 photo (cjpeg 2.1 reads PPM, not PNG).
vips resize "$photos/photo12_s7edge.jpg" "$tmp/big.ppm" 1.41
cjpeg -progressive -quality 90 -outfile "$out/photo24_progressive.jpg" "$tmp/big.ppm"
# 1024x1024 RGBA, the photo centred on transparent black.
vips thumbnail "$photos/photo12_s7edge.jpg" "$tmp/t.v" 1024 --height 1024
vips bandjoin_const "$tmp/t.v" "$tmp/a.v" 255
vips gravity "$tmp/a.v" "$out/rgba1024_s7edge.png[compression=6,strip]" centre 1024 1024 \
  --extend background --background "0 0 0 0"
echo "cjpeg: $(cjpeg -version 2>&1 | head -1); vips: $(vips --version)"
for f in photo24_progressive.jpg rgba1024_s7edge.png; do
  printf '%s: %sx%s, %s bands, %s bytes\n' "$f" "$(vipsheader -f width "$out/$f")" "$(vipsheader -f height "$out/$f")" \
    "$(vipsheader -f bands "$out/$f")" "$(stat -c %s "$out/$f")"
done
