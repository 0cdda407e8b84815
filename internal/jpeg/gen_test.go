package jpeg

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"testing"
)

// testImage returns a w x h image with gradients, edges and some noise,
// deterministic for a given seed.
func testImage(w, h int, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, 1))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			r := 255 * x / max(w-1, 1)
			g := 255 * y / max(h-1, 1)
			b := 128
			if (x/7+y/5)%2 == 0 {
				b = 40
			}
			if x*x+y*y < w*h/4 {
				r = 255 - r
			}
			n := rng.IntN(33) - 16
			m.Set(x, y, color.RGBA{uint8(min(max(r+n, 0), 255)), uint8(min(max(g-n, 0), 255)), uint8(b), 255})
		}
	}
	return m
}

type genCase struct {
	name string
	data []byte
	// ref, if set, is the same image without restart markers, for files
	// that image/jpeg can't decode: progressive with restart intervals and
	// subsampling (see decodeScan).
	ref []byte
}

// generatedJPEGs returns JPEGs from image/jpeg's encoder (4:2:0 and gray)
// and from the test encoder (other subsamplings, restarts, progressive).
func generatedJPEGs(t testing.TB) []genCase {
	var cases []genCase
	sizes := [][2]int{{1, 1}, {2, 1}, {8, 8}, {17, 9}, {33, 65}, {64, 48}, {100, 75}}
	for _, sz := range sizes {
		m := testImage(sz[0], sz[1], uint64(sz[0]*1000+sz[1]))
		for _, q := range []int{50, 95} {
			var buf bytes.Buffer
			if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
				t.Fatal(err)
			}
			cases = append(cases, genCase{name: fmt.Sprintf("std420_%dx%d_q%d", sz[0], sz[1], q), data: bytes.Clone(buf.Bytes())})
			gray := image.NewGray(m.Bounds())
			for y := 0; y < sz[1]; y++ {
				for x := 0; x < sz[0]; x++ {
					gray.Set(x, y, m.At(x, y))
				}
			}
			buf.Reset()
			if err := jpeg.Encode(&buf, gray, &jpeg.Options{Quality: q}); err != nil {
				t.Fatal(err)
			}
			cases = append(cases, genCase{name: fmt.Sprintf("stdgray_%dx%d_q%d", sz[0], sz[1], q), data: bytes.Clone(buf.Bytes())})
		}
		subs := []struct {
			name string
			hv   [3][2]int
		}{
			{"444", [3][2]int{{1, 1}, {1, 1}, {1, 1}}},
			{"422", [3][2]int{{2, 1}, {1, 1}, {1, 1}}},
			{"420", [3][2]int{{2, 2}, {1, 1}, {1, 1}}},
			{"440", [3][2]int{{1, 2}, {1, 1}, {1, 1}}},
			{"411", [3][2]int{{4, 1}, {1, 1}, {1, 1}}},
		}
		for _, sub := range subs {
			for _, prog := range []bool{false, true} {
				var noRestart []byte
				for _, ri := range []int{0, 3} {
					comps := make([]encComp, 3)
					for i := range comps {
						comps[i] = encComp{id: byte(i + 1), h: sub.hv[i][0], v: sub.hv[i][1], tq: min(i, 1)}
					}
					data := encodeTestJPEG(m, encOptions{comps: comps, quality: 90, restart: ri, progressive: prog})
					c := genCase{name: fmt.Sprintf("enc%s_%dx%d_prog=%v_ri=%d", sub.name, sz[0], sz[1], prog, ri), data: data}
					if ri == 0 {
						noRestart = data
					} else if prog && sub.name != "444" {
						c.ref = noRestart
					}
					cases = append(cases, c)
				}
			}
		}
		for _, prog := range []bool{false, true} {
			data := encodeTestJPEG(m, encOptions{comps: []encComp{{id: 1, h: 1, v: 1}}, quality: 80, restart: 2, progressive: prog})
			cases = append(cases, genCase{name: fmt.Sprintf("encgray_%dx%d_prog=%v", sz[0], sz[1], prog), data: data})
		}
	}
	return cases
}

func TestGeneratedDenom1MatchesStdlib(t *testing.T) {
	for _, c := range generatedJPEGs(t) {
		ref := c.data
		if c.ref != nil {
			ref = c.ref
		}
		want, err := jpeg.Decode(bytes.NewReader(ref))
		if err != nil {
			t.Errorf("%s: image/jpeg: %v", c.name, err)
			continue
		}
		got, err := DecodeScaled(bytes.NewReader(c.data), 1)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if err := sameImage(got, want); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
