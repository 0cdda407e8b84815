#!/usr/bin/env bash
# Makes the HEIC and AVIF inputs of the benchmark harness's heic and avif
# jobs from the 12 MP reference photo (../shared/bench-photos/
# photo12_s7edge.jpg, 4032x3024, orientation 1), with the encoders of
# Debian 12 (heif-enc from libheif-examples 1.15: x265 for HEVC, libaom for
# AV1) and internal/heif/heiftool for the grid:
#
#   photo12_s7edge.heic          12 MP, one HEVC image (heif-enc -q 60)
#   photo12_s7edge_grid512.heic  12 MP as iPhones write it: 8x6 tiles of
#                                512x512, each its own HEVC image, in a
#                                grid cut to 4032x3024 (heiftool grid)
#   photo4_s7edge.avif           the photo scaled to 2309x1732 (4 MP) by
#                                vips, one AV1 image (heif-enc -A -q 75)
#
# All 8-bit 4:2:0 without alpha, Exif or thumbnails (vips_thumbnail would
# use an embedded thumbnail as large as the target instead of decoding).
#
#   scripts/make-bench-heif.sh OUTDIR [PHOTO]
#
# scripts/bench.sh runs it (about 45 s on 2 cores, most of it x265) and
# passes OUTDIR to the harness as -heif-dir; scripts/setup-tools.sh --bench
# installs heif-enc and vips. Prints what it made on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: make-bench-heif.sh OUTDIR [PHOTO]}
photo=${2:-${IMGPREP_SHARED:-../shared}/bench-photos/photo12_s7edge.jpg}
for t in heif-enc vips; do
  command -v $t >/dev/null || { echo "make-bench-heif: needs $t (scripts/setup-tools.sh --bench)" >&2; exit 1; }
done
[ -f "$photo" ] || { echo "make-bench-heif: $photo not found" >&2; exit 1; }
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
q=60
# Upright, no metadata; the encoders read PNG.
vips copy "$photo" "$tmp/photo.png[strip]"
read -r w h < <(vipsheader -f width "$tmp/photo.png" | tr '\n' ' '; vipsheader -f height "$tmp/photo.png")
heif-enc -q $q -o "$out/photo12_s7edge.heic" "$tmp/photo.png" >/dev/null &
single=$!
# The grid: pad to whole tiles by repeating the edge, cut 512x512 tiles,
# encode them two at a time (the single image above takes the other core).
cols=$(( (w + 511) / 512 )) rows=$(( (h + 511) / 512 ))
vips embed "$tmp/photo.png" "$tmp/pad.v" 0 0 $((cols * 512)) $((rows * 512)) --extend copy
tiles=()
for r in $(seq 0 $((rows - 1))); do for c in $(seq 0 $((cols - 1))); do
  vips crop "$tmp/pad.v" "$tmp/t$r-$c.png" $((c * 512)) $((r * 512)) 512 512
  tiles+=("$tmp/t$r-$c.heic")
done; done
printf '%s\n' "${tiles[@]}" | xargs -P 2 -I{} sh -c 'heif-enc -q '$q' -o "$1" "${1%.heic}.png" >/dev/null' _ {}
go run ./internal/heif/heiftool grid -rows $rows -cols $cols -size ${w}x$h -o "$out/photo12_s7edge_grid512.heic" "${tiles[@]}"
# 4 MP AVIF: vips' Lanczos3 down to 2309 px wide (3024 * 2309 / 4032 = 1732).
vips resize "$tmp/photo.png" "$tmp/photo4.png[strip]" 0.5727
heif-enc -A -q 75 -o "$out/photo4_s7edge.avif" "$tmp/photo4.png" >/dev/null
wait $single
# What was made, on stdout (scripts/bench.sh puts it into RESULTS.md).
echo "heif-enc: $(heif-enc -h 2>&1 | grep -o 'libheif version: [0-9.]*' | head -1)$(command -v dpkg-query >/dev/null &&
  dpkg-query -W -f '; ${Package} ${Version}' libheif-examples libx265-199 libaom3 2>/dev/null)"
for f in photo12_s7edge.heic photo12_s7edge_grid512.heic photo4_s7edge.avif; do
  printf '%s: %s, %s bytes\n' "$f" "$(vipsheader "$out/$f" 2>/dev/null | cut -d' ' -f2)" "$(stat -c %s "$out/$f")"
done
