package codecs_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"os"
	"path/filepath"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/testcorpus"
	"github.com/imgprep/imgprep/internal/testimg"
)

var update = flag.Bool("update", false, "rewrite the generated fixtures in testdata/codecs")

// fixture is a generated test file and what Probe and Decode must say.
type fixture struct {
	name        string
	data        []byte
	format      codecs.Format
	w, h        int
	alpha       bool
	orientation int // 0 means 1
	bitDepth    int // 0: not checked
	frames      int // 0 means 1
	probeErr    error
	decodeErr   error
	decodedType string // %T of the decoded image, "" not checked
	composited  bool   // Decode places the first frame on a larger canvas (so alpha)
}

// buildFixtures generates every fixture in memory. It is deterministic, so
// `go test -run TestGenerateFixtures -update` reproduces testdata/codecs.
func buildFixtures(t testing.TB) []fixture {
	t.Helper()
	rgb := testimg.Gradient(16, 12, false)
	rgbPNG := mustPNG(t, rgb)
	rgbJPEG := testimg.EncodeJPEG(t, rgb, 85)
	be, le := binary.BigEndian, binary.LittleEndian

	var fx []fixture
	add := func(f fixture) { fx = append(fx, f) }

	// PNG
	add(fixture{name: "png-exif-orient6.png", format: codecs.PNG, w: 16, h: 12, orientation: 6, bitDepth: 8,
		data: pngInsertAfterIHDR(rgbPNG, pngChunk("eXIf", exifTIFF(be, 3, 6)))})
	add(fixture{name: "png-exif-prefixed-le-long-orient8.png", format: codecs.PNG, w: 16, h: 12, orientation: 8,
		data: pngInsertAfterIHDR(rgbPNG, pngChunk("eXIf", append([]byte("Exif\x00\x00"), exifTIFF(le, 4, 8)...)))})
	raw := "Raw profile type exif\x00\nexif\n      " + fmt.Sprint(len(exifTIFF(be, 3, 3))+6) + "\n" +
		hex.EncodeToString(append([]byte("Exif\x00\x00"), exifTIFF(be, 3, 3)...)) + "\n"
	add(fixture{name: "png-rawprofile-text-orient3.png", format: codecs.PNG, w: 16, h: 12, orientation: 3,
		data: pngInsertAfterIHDR(rgbPNG, pngChunk("tEXt", []byte(raw)))})
	add(fixture{name: "png-rawprofile-ztxt-orient3.png", format: codecs.PNG, w: 16, h: 12, orientation: 3,
		data: pngInsertAfterIHDR(rgbPNG, pngChunk("zTXt", zTXt(t, raw)))})
	n64 := image.NewNRGBA64(image.Rect(0, 0, 5, 3))
	for i := range n64.Pix {
		n64.Pix[i] = uint8(i * 37)
	}
	add(fixture{name: "png-16bit-rgba.png", format: codecs.PNG, w: 5, h: 3, alpha: true, bitDepth: 16,
		decodedType: "*image.NRGBA64", data: mustPNG(t, n64)})
	pal := image.NewPaletted(image.Rect(0, 0, 7, 5), color.Palette{
		color.NRGBA{255, 0, 0, 255}, color.NRGBA{0, 255, 0, 128}, color.NRGBA{0, 0, 255, 0}})
	for i := range pal.Pix {
		pal.Pix[i] = uint8(i % 3)
	}
	add(fixture{name: "png-palette-trns.png", format: codecs.PNG, w: 7, h: 5, alpha: true,
		decodedType: "*image.Paletted", data: mustPNG(t, pal)})
	gray := image.NewGray(image.Rect(0, 0, 9, 4))
	add(fixture{name: "png-gray.png", format: codecs.PNG, w: 9, h: 4, bitDepth: 8,
		decodedType: "*image.Gray", data: mustPNG(t, gray)})
	bad := image.NewPaletted(image.Rect(0, 0, 4, 1), make(color.Palette, 17))
	for i := range bad.Palette {
		bad.Palette[i] = color.Gray{uint8(i)}
	}
	bad.Pix[2] = 200 // outside the 17-entry PLTE
	add(fixture{name: "png-palette-index-out-of-range.png", format: codecs.PNG, w: 4, h: 1,
		decodeErr: codecs.ErrCorrupt, data: mustPNG(t, bad)})
	add(fixture{name: "png-bomb-65536.png", format: codecs.PNG, w: 65536, h: 65536, bitDepth: 8,
		decodeErr: codecs.ErrTooLarge, data: pngBomb(t)})
	add(fixture{name: "png-apng-2-frames.png", format: codecs.PNG, w: 16, h: 12, frames: 2,
		data: pngInsertAfterIHDR(rgbPNG, pngChunk("acTL", []byte{0, 0, 0, 2, 0, 0, 0, 0}),
			pngChunk("fcTL", make([]byte, 26)), pngChunk("fcTL", make([]byte, 26)))})
	badIHDR := append([]byte(nil), rgbPNG...)
	badIHDR[20]++ // height byte: IHDR CRC no longer matches
	add(fixture{name: "png-ihdr-crc.png", format: codecs.PNG, probeErr: codecs.ErrCorrupt, data: badIHDR})

	// JPEG
	xmp := jpegSegment(0xe1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><tiff:Orientation>5</tiff:Orientation></x:xmpmeta>"))
	exifSeg := func(bo byteOrder, typ uint16, v uint32) []byte {
		return jpegSegment(0xe1, append([]byte("Exif\x00\x00"), exifTIFF(bo, typ, v)...))
	}
	add(fixture{name: "jpeg-xmp-then-exif-orient3.jpg", format: codecs.JPEG, w: 16, h: 12, orientation: 3, bitDepth: 8,
		decodedType: "*image.YCbCr", data: jpegInsertAfterSOI(rgbJPEG, xmp, exifSeg(be, 3, 3))})
	add(fixture{name: "jpeg-exif-le-orient7.jpg", format: codecs.JPEG, w: 16, h: 12, orientation: 7,
		data: jpegInsertAfterSOI(rgbJPEG, exifSeg(le, 3, 7))})
	add(fixture{name: "jpeg-exif-orient0.jpg", format: codecs.JPEG, w: 16, h: 12, orientation: 1,
		data: jpegInsertAfterSOI(rgbJPEG, exifSeg(be, 3, 0))})
	add(fixture{name: "jpeg-exif-orient9.jpg", format: codecs.JPEG, w: 16, h: 12, orientation: 1,
		data: jpegInsertAfterSOI(rgbJPEG, exifSeg(le, 3, 9))})
	add(fixture{name: "jpeg-exif-truncated-ifd.jpg", format: codecs.JPEG, w: 16, h: 12, orientation: 1,
		data: jpegInsertAfterSOI(rgbJPEG, jpegSegment(0xe1, append([]byte("Exif\x00\x00"), exifTIFF(le, 3, 6)[:14]...)))})
	add(fixture{name: "jpeg-12bit.jpg", format: codecs.JPEG, w: 16, h: 12, bitDepth: 12,
		decodeErr: codecs.ErrUnsupported, data: patchSOF(t, rgbJPEG, 0xc0, 12)})
	add(fixture{name: "jpeg-too-many-scans.jpg", format: codecs.JPEG, w: 16, h: 12, decodeErr: codecs.ErrCorrupt,
		data: append(bytes.Clone(rgbJPEG[:len(rgbJPEG)-2]), append(bytes.Repeat([]byte("\xff\xda"), 1001), 0xff, 0xd9)...)})
	add(fixture{name: "jpeg-lossless-sof3.jpg", format: codecs.JPEG, probeErr: codecs.ErrUnsupported,
		data: patchSOF(t, rgbJPEG, 0xc3, 8)})

	// WebP
	lossless, err := codecs.EncodeBytes(rgb, codecs.EncodeOptions{Format: codecs.WebP, Lossless: true})
	if err != nil {
		t.Fatal(err)
	}
	vp8l := webpChunks(t, lossless)["VP8L"]
	add(fixture{name: "webp-exif-orient8.webp", format: codecs.WebP, w: 16, h: 12, orientation: 8,
		decodedType: "*image.NRGBA",
		data: riffWebP(riffChunk("VP8X", vp8x(0x08, 16, 12)), riffChunk("VP8L", vp8l),
			riffChunk("EXIF", append([]byte("Exif\x00\x00"), exifTIFF(le, 3, 8)...)))})
	small, err := codecs.EncodeBytes(testimg.Gradient(4, 3, true), codecs.EncodeOptions{Format: codecs.WebP, Lossless: true})
	if err != nil {
		t.Fatal(err)
	}
	smallVP8L := webpChunks(t, small)["VP8L"]
	add(fixture{name: "webp-anim-offset-frame.webp", format: codecs.WebP, w: 10, h: 8, alpha: true, frames: 2,
		decodedType: "*image.NRGBA", composited: true,
		data: riffWebP(riffChunk("VP8X", vp8x(0x12, 10, 8)), riffChunk("ANIM", make([]byte, 6)),
			riffChunk("ANMF", anmf(2, 4, 4, 3, riffChunk("VP8L", smallVP8L))),
			riffChunk("ANMF", anmf(0, 0, 4, 3, riffChunk("VP8L", smallVP8L))))})
	add(fixture{name: "webp-anim-one-frame.webp", format: codecs.WebP, w: 4, h: 3, alpha: true,
		decodedType: "*image.NRGBA",
		data: riffWebP(riffChunk("VP8X", vp8x(0x12, 4, 3)), riffChunk("ANIM", make([]byte, 6)),
			riffChunk("ANMF", anmf(0, 0, 4, 3, riffChunk("VP8L", smallVP8L))))})
	add(fixture{name: "webp-canvas-mismatch.webp", format: codecs.WebP, probeErr: codecs.ErrCorrupt,
		data: riffWebP(riffChunk("VP8X", vp8x(0, 4000, 4000)), riffChunk("VP8L", smallVP8L))})

	if codecs.LossyWebPAvailable() { // needs the cgo encoder to make VP8 data
		lossy, err := codecs.EncodeBytes(rgb, codecs.EncodeOptions{Format: codecs.WebP})
		if err != nil {
			t.Fatal(err)
		}
		vp8 := webpChunks(t, lossy)["VP8 "]
		add(fixture{name: "webp-lossy-alpha-flag-without-alph.webp", format: codecs.WebP, w: 16, h: 12, alpha: true,
			decodedType: "*image.YCbCr",
			data:        riffWebP(riffChunk("VP8X", vp8x(0x10, 16, 12)), riffChunk("VP8 ", vp8))})
		withAlpha, err := codecs.EncodeBytes(testimg.Gradient(16, 12, true), codecs.EncodeOptions{Format: codecs.WebP})
		if err != nil {
			t.Fatal(err)
		}
		c := webpChunks(t, withAlpha)
		add(fixture{name: "webp-lossy-alph-without-alpha-flag.webp", format: codecs.WebP, w: 16, h: 12, alpha: true,
			decodedType: "*image.NYCbCrA",
			data:        riffWebP(riffChunk("VP8X", vp8x(0, 16, 12)), riffChunk("ALPH", c["ALPH"]), riffChunk("VP8 ", c["VP8 "]))})
		add(fixture{name: "webp-lossy-anim-alpha.webp", format: codecs.WebP, w: 20, h: 16, alpha: true, frames: 2,
			decodedType: "*image.NRGBA", composited: true,
			data: riffWebP(riffChunk("VP8X", vp8x(0x12, 20, 16)), riffChunk("ANIM", make([]byte, 6)),
				riffChunk("ANMF", anmf(4, 2, 16, 12, riffChunk("ALPH", c["ALPH"]), riffChunk("VP8 ", c["VP8 "]))),
				riffChunk("ANMF", anmf(0, 0, 16, 12, riffChunk("VP8 ", vp8))))})
	}

	// GIF
	var g bytes.Buffer
	p := color.Palette{color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}}
	f1 := image.NewPaletted(image.Rect(3, 2, 7, 6), p)
	f2 := image.NewPaletted(image.Rect(0, 0, 12, 10), p)
	for i := range f2.Pix {
		f2.Pix[i] = 1
	}
	if err := gif.EncodeAll(&g, &gif.GIF{Image: []*image.Paletted{f1, f2}, Delay: []int{10, 10},
		Config: image.Config{ColorModel: p, Width: 12, Height: 10}}); err != nil {
		t.Fatal(err)
	}
	add(fixture{name: "gif-anim-small-first-frame.gif", format: codecs.GIF, w: 12, h: 10, frames: 2,
		composited: true, decodedType: "*image.Paletted", data: bytes.Clone(g.Bytes())})
	g.Reset()
	tp := image.NewPaletted(image.Rect(0, 0, 3, 2), color.Palette{color.RGBA{}, color.RGBA{9, 9, 9, 255}})
	if err := gif.Encode(&g, tp, nil); err != nil {
		t.Fatal(err)
	}
	add(fixture{name: "gif-transparent.gif", format: codecs.GIF, w: 3, h: 2, alpha: true, data: bytes.Clone(g.Bytes())})
	add(fixture{name: "gif-frame-bomb.gif", format: codecs.GIF, w: 32, h: 32, probeErr: codecs.ErrCorrupt,
		data: gifFrameBomb()})

	// HEIC / AVIF: recognised, refused.
	add(fixture{name: "heic.heic", format: codecs.HEIC, probeErr: codecs.ErrUnsupported,
		data: []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")})
	add(fixture{name: "avif.avif", format: codecs.AVIF, probeErr: codecs.ErrUnsupported,
		data: []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf")})

	// Truncations of the well-formed files above.
	for _, f := range append([]fixture(nil), fx...) {
		if f.probeErr != nil || f.decodeErr != nil || f.format == codecs.GIF {
			continue
		}
		for label, cut := range map[string]int{"half": len(f.data) / 2, "last-byte": len(f.data) - 1} {
			add(fixture{name: fmt.Sprintf("truncated-%s-%s", label, f.name), format: f.format,
				probeErr: errAny, decodeErr: codecs.ErrTruncated, data: f.data[:cut]})
		}
	}
	add(fixture{name: "truncated-gif-first-frame.gif", format: codecs.GIF, probeErr: codecs.ErrTruncated,
		decodeErr: codecs.ErrTruncated, data: bytes.Clone(g.Bytes()[:g.Len()-6])})
	return fx
}

// errAny marks a fixture whose Probe may fail or succeed (header intact).
var errAny = errors.New("any outcome")

func zTXt(t testing.TB, text string) []byte {
	kw, rest, _ := bytes.Cut([]byte(text), []byte{0})
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(rest)
	zw.Close()
	return append(append(kw, 0, 0), buf.Bytes()...)
}

// pngBomb is a small, structurally valid PNG declaring 65536x65536.
func pngBomb(t testing.TB) []byte {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 1000))
	zw.Close()
	out := ihdr(65536, 65536, 8, 0)
	out = append(out, pngChunk("IDAT", z.Bytes())...)
	return append(out, pngChunk("IEND", nil)...)
}

// gifFrameBomb is a 32x32 GIF whose frame descriptor claims 65535x1321.
func gifFrameBomb() []byte {
	b := []byte("GIF89a\x20\x00\x20\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff")
	b = append(b, 0x2c, 0, 0, 0, 0, 0xff, 0xff, 0x29, 0x05, 0)
	b = append(b, 2, 2, 0x4c, 0x01, 0, 0x3b)
	return b
}

// patchSOF rewrites the SOF marker and precision of a baseline JPEG.
func patchSOF(t testing.TB, j []byte, marker, precision byte) []byte {
	out := append([]byte(nil), j...)
	i := bytes.Index(out, []byte{0xff, 0xc0})
	if i < 0 {
		t.Fatal("no SOF0")
	}
	out[i+1], out[i+4] = marker, precision
	return out
}

func TestFixtures(t *testing.T) {
	for _, f := range buildFixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			info, err := codecs.Probe(f.data)
			if info.Format != f.format {
				t.Errorf("Probe format = %q, want %q", info.Format, f.format)
			}
			switch {
			case f.probeErr == errAny:
				if err != nil && !matchesSentinel(err) {
					t.Errorf("Probe error %v matches no sentinel", err)
				}
			case f.probeErr != nil:
				if !errors.Is(err, f.probeErr) {
					t.Fatalf("Probe error = %v, want %v", err, f.probeErr)
				}
				return
			case err != nil:
				t.Fatalf("Probe: %v", err)
			default:
				checkInfo(t, "Probe", info, f)
			}

			img, info, err := codecs.Decode(f.data, codecs.DecodeOptions{})
			if f.decodeErr != nil {
				if !errors.Is(err, f.decodeErr) {
					t.Fatalf("Decode error = %v, want %v", err, f.decodeErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if f.composited {
				f.alpha = true
			}
			checkInfo(t, "Decode", info, f)
			if b := img.Bounds(); b != image.Rect(0, 0, f.w, f.h) {
				t.Errorf("bounds = %v, want %dx%d", b, f.w, f.h)
			}
			if f.decodedType != "" {
				if got := fmt.Sprintf("%T", img); got != f.decodedType {
					t.Errorf("decoded %s, want %s", got, f.decodedType)
				}
			}
		})
	}
}

func checkInfo(t *testing.T, who string, info codecs.Info, f fixture) {
	t.Helper()
	wantOr, wantFrames := max(f.orientation, 1), max(f.frames, 1)
	if info.Width != f.w || info.Height != f.h || info.HasAlpha != f.alpha ||
		info.Orientation != wantOr || info.Frames != wantFrames || info.Animated != (wantFrames > 1) ||
		(f.bitDepth != 0 && info.BitDepth != f.bitDepth) {
		t.Errorf("%s = %+v; want %dx%d alpha=%v orientation=%d frames=%d depth=%d",
			who, info, f.w, f.h, f.alpha, wantOr, wantFrames, f.bitDepth)
	}
}

// TestGenerateFixtures writes the fixtures to testdata/codecs with -update;
// the fuzz targets use them as seeds.
func TestGenerateFixtures(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite testdata/codecs")
	}
	dir := filepath.Join(testcorpus.RepoRoot(t), "testdata", "codecs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range buildFixtures(t) {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
