package avif_test

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/imgprep/imgprep/codecs"
	_ "github.com/imgprep/imgprep/codecs/avif"
	"github.com/imgprep/imgprep/internal/raster"
)

func TestTryEnv(t *testing.T) {
	if os.Getenv("HEIC_WASM") != "" {

	}
	for _, path := range strings.Fields(os.Getenv("HEIC_TRY")) {
		b, _ := os.ReadFile(path)
		st := time.Now()
		img, info, err := codecs.Decode(b, codecs.DecodeOptions{})
		fmt.Println(path, "wasm", info, err, time.Since(st))
		if err != nil {
			continue
		}
		fmt.Printf("  %T %v\n", img, img.Bounds())
		if out := os.Getenv("HEIC_OUT"); out != "" {
			f, _ := os.Create(out + "/" + path[strings.LastIndex(path, "/")+1:] + ".go.png")
			png.Encode(f, raster.Orient(raster.ToNRGBA(img.(image.Image)), info.Orientation))
			f.Close()
		}
	}
}

func TestCompareEnv(t *testing.T) {
	for _, pair := range strings.Fields(os.Getenv("HEIC_CMP")) {
		a, b, _ := strings.Cut(pair, "=")
		fa, _ := os.Open(a)
		ia, err := png.Decode(fa)
		if err != nil {
			t.Errorf("%s: %v", a, err)
			continue
		}
		fb, _ := os.Open(b)
		ib, err := png.Decode(fb)
		if err != nil {
			t.Fatal(err)
		}
		var max, sum, n int
		var hist [256]int
		bd := ia.Bounds()
		if bd != ib.Bounds() {
			t.Errorf("%s: bounds %v vs %v", pair, bd, ib.Bounds())
			continue
		}
		for y := bd.Min.Y; y < bd.Max.Y; y++ {
			for x := bd.Min.X; x < bd.Max.X; x++ {
				r1, g1, b1, a1 := ia.At(x, y).RGBA()
				r2, g2, b2, a2 := ib.At(x, y).RGBA()
				for _, d := range []int{int(r1>>8) - int(r2>>8), int(g1>>8) - int(g2>>8), int(b1>>8) - int(b2>>8), int(a1>>8) - int(a2>>8)} {
					if d < 0 {
						d = -d
					}
					hist[d]++
					sum += d
					n++
					if d > max {
						max = d
					}
				}
			}
		}
		fmt.Printf("%s: max %d mean %.3f; <=1: %.4f <=2: %.4f <=4: %.4f\n", pair, max, float64(sum)/float64(n),
			float64(hist[0]+hist[1])/float64(n), float64(hist[0]+hist[1]+hist[2])/float64(n), float64(hist[0]+hist[1]+hist[2]+hist[3]+hist[4])/float64(n))
	}
}
