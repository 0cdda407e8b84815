#!/usr/bin/env bash
# Regenerates the HEIC and AVIF test files in testdata/heif from the sample
# images, with the encoders of Debian 12 (heif-enc from libheif-examples
# 1.15, avifenc from libavif-bin 0.11) and internal/heif/heiftool for what
# they cannot write (grids from separately encoded tiles, irot/imir/clap on
# HEIC). The files are committed: the tests do not need the encoders. The
# x265 and aom encoders are deterministic for a given version, but other
# versions write other bytes; the tests compare colours with a tolerance.
set -euo pipefail
cd "$(dirname "$0")/.."
for t in heif-enc avifenc vips; do
  command -v $t >/dev/null || { echo "make-heif-fixtures: needs $t (apt-get install libheif-examples libavif-bin libvips-tools)" >&2; exit 1; }
done
out=testdata/heif
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p $out
tool="go run ./internal/heif/heiftool"
# A 96x64 photo crop (upright: vips autorotates the EXIF-6 sample), a
# 16-bit copy for 10-bit files, and the alpha sample at 64x64.
vips thumbnail testdata/sample/landscape_o6.jpg "$tmp/photo.png[strip]" 96 --height 64 --crop centre
vips colourspace "$tmp/photo.png" "$tmp/photo16.png[strip]" rgb16
vips thumbnail testdata/sample/gopher_alpha.png "$tmp/alpha.png[strip]" 64
vips thumbnail testdata/sample/landscape_o6.jpg "$tmp/big.png[strip]" 120 --height 100 --crop centre
q="-q 60"
heif-enc $q -o $out/heic-8bit.heic "$tmp/photo.png"
heif-enc $q -t 16 -o $out/heic-thumb.heic "$tmp/photo.png"
heif-enc $q -b 10 -o $out/heic-10bit.heic "$tmp/photo16.png"
heif-enc $q -o $out/heic-alpha.heic "$tmp/alpha.png"
heif-enc $q --matrix_coefficients=1 --full_range_flag=0 --colour_primaries=1 --transfer_characteristic=1 \
  -o $out/heic-bt709-limited.heic "$tmp/photo.png"
$tool props -irot 1 -imir 1 -o $out/heic-irot1-imir1.heic $out/heic-8bit.heic
$tool props -clap 80x48+2+-4 -irot 3 -o $out/heic-clap-irot3.heic $out/heic-8bit.heic
# The major brand that gen2brain/heic and libheif's heif_check_filetype
# turn down ("mif1", as some cameras write), same content.
python3 - $out/heic-8bit.heic $out/heic-mif1-brand.heic <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
assert b[8:12] == b'heic'
b[8:12] = b'mif1'
open(sys.argv[2], 'wb').write(b)
PY
# A 2x2 grid of 64x64 tiles cut to 120x100, as cameras tile large images.
vips embed "$tmp/big.png" "$tmp/pad.png" 0 0 128 128 --extend copy
tiles=()
for r in 0 1; do for c in 0 1; do
  vips crop "$tmp/pad.png" "$tmp/t$r$c.png" $((c*64)) $((r*64)) 64 64
  heif-enc $q -o "$tmp/t$r$c.heic" "$tmp/t$r$c.png"
  tiles+=("$tmp/t$r$c.heic")
done; done
$tool grid -rows 2 -cols 2 -size 120x100 -o $out/heic-grid.heic "${tiles[@]}"
# Cut files: half of the 8-bit one (mdat cut), and one cut inside meta.
head -c $(( $(stat -c %s $out/heic-8bit.heic) / 2 )) $out/heic-8bit.heic > $out/heic-cut-half.heic
head -c 200 $out/heic-8bit.heic > $out/heic-cut-meta.heic
# AVIF from two producers.
heif-enc -A $q -o $out/avif-heifenc.avif "$tmp/photo.png"
avifenc -s 8 --min 20 --max 30 "$tmp/alpha.png" $out/avif-alpha.avif >/dev/null
avifenc -s 8 --min 20 --max 30 -d 10 "$tmp/photo16.png" $out/avif-10bit.avif >/dev/null
cp "$tmp/pad.png" "$tmp/grid.png"
avifenc -s 8 --min 20 --max 30 -y 420 --grid 2x2 "$tmp/grid.png" $out/avif-grid.avif >/dev/null
# irot and imir on a single image: libheif 1.15 (and so libvips) misplaces
# the tiles of a grid that has them, so the reference is kept simple.
avifenc -s 8 --min 20 --max 30 --irot 1 --imir 0 "$tmp/photo.png" $out/avif-irot1-imir0.avif >/dev/null
head -c $(( $(stat -c %s $out/avif-heifenc.avif) / 2 )) $out/avif-heifenc.avif > $out/avif-cut-half.avif
ls -l $out
