package pngdec

import (
	"bytes"
	stdzlib "compress/zlib"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/imgprep/imgprep/internal/testcorpus"
	"github.com/klauspost/compress/zlib"
)

// benchInputs are the bench photos' PNGs (skipped when absent).
var benchInputs = []struct{ key, file string }{
	{"png-4k-screenshot", "screenshot_4k.png"},
	{"png-rgba-2048", "rgba_paper_2048.png"},
	{"png-1024-rgba", "/tmp/pngdec-1024/photo1024_rgba.png"},
}

func benchFile(b *testing.B, file string) []byte {
	if !filepath.IsAbs(file) {
		file = filepath.Join(testcorpus.SharedDir(b), "bench-photos", file)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		b.Skip(err)
	}
	return data
}

// BenchmarkInflate compares the zlib readers on the IDAT stream.
func BenchmarkInflate(b *testing.B) {
	for _, in := range benchInputs {
		for _, impl := range []string{"compress-flate", "klauspost", "own"} {
			b.Run("impl="+impl+"/in="+in.key, func(b *testing.B) {
				hd, ok := walk(benchFile(b, in.file))
				if !ok {
					b.Fatal("walk failed")
				}
				var z []byte
				for _, d := range hd.idat {
					z = append(z, d...)
				}
				buf := make([]byte, 32<<10)
				b.SetBytes(int64(len(z)))
				b.ReportAllocs()
				for b.Loop() {
					var zr io.Reader
					var err error
					switch impl {
					case "own":
						if zr, _ = newInflater(z); zr == nil {
							err = errInflate
						}
					case "klauspost":
						zr, err = zlib.NewReader(bytes.NewReader(z))
					default:
						zr, err = stdzlib.NewReader(bytes.NewReader(z))
					}
					if err == nil {
						err = drain(zr, buf)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// drain reads r to its end through buf.
func drain(r io.Reader, buf []byte) error {
	for {
		_, err := r.Read(buf)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// BenchmarkDecode compares Decode with image/png.
func BenchmarkDecode(b *testing.B) {
	for _, in := range benchInputs {
		for _, impl := range []string{"image-png", "pngdec"} {
			b.Run("impl="+impl+"/in="+in.key, func(b *testing.B) {
				data := benchFile(b, in.file)
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					var err error
					if impl == "pngdec" {
						_, err = Decode(data, nil)
					} else {
						_, err = stdDecode(data)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkVerify measures Verify against a whole Decode.
func BenchmarkVerify(b *testing.B) {
	for _, in := range benchInputs {
		b.Run("in="+in.key, func(b *testing.B) {
			data := benchFile(b, in.file)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if err := Verify(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
