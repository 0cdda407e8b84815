package heic

import (
	"fmt"
	"image"
	"runtime"
	"sync"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/heif"
)

// decode decodes the primary image: colour planes, alpha plane, colour
// conversion and clean aperture.
func decode(f *heif.File) (image.Image, error) {
	img := f.Primary
	col, err := decodePlanes(f, img, "image")
	if err != nil {
		return nil, err
	}
	var alpha *planes
	if img.Alpha != nil {
		if alpha, err = decodePlanes(f, img.Alpha, "alpha plane"); err != nil {
			return nil, err
		}
	}
	return convert(col, alpha, colourOf(img), img.Alpha != nil && img.Premultiplied, f.Layout.Crop), nil
}

// tile is one coded item and where it goes.
type tile struct {
	img   *heif.Image
	x, y  int
	index int
}

// decodePlanes decodes a coded image or a grid into one set of planes of
// the image's size.
func decodePlanes(f *heif.File, img *heif.Image, what string) (*planes, error) {
	chroma := img.HEVC.ChromaFormat
	dst := &planes{W: img.Width, H: img.Height, Chroma: chroma, YStride: img.Width}
	tiles := []tile{{img: img}}
	if g := img.Grid; g != nil {
		tiles = tiles[:0]
		if chroma == 1 && (g.TileW%2 != 0 || g.TileH%2 != 0) || chroma == 2 && g.TileW%2 != 0 {
			return nil, &codecs.FormatError{Format: codecs.HEIC, Kind: codecs.ErrUnsupported,
				Reason: fmt.Sprintf("%s: %dx%d tiles with subsampled chroma", what, g.TileW, g.TileH)}
		}
		for i, t := range g.Tiles {
			tiles = append(tiles, tile{img: t, x: i % g.Cols * g.TileW, y: i / g.Cols * g.TileH, index: i})
		}
	}
	dst.Y = make([]byte, dst.W*dst.H)
	if chroma != 0 {
		cw, ch := dst.ChromaSize()
		dst.CStride = cw
		dst.Cb, dst.Cr = make([]byte, cw*ch), make([]byte, cw*ch)
	}
	workers := min(runtime.GOMAXPROCS(0), len(tiles))
	errs := make([]error, len(tiles))
	var next sync.Mutex
	n := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var wd wasmDecoder
			defer wd.close()
			for {
				next.Lock()
				i := n
				n++
				next.Unlock()
				if i >= len(tiles) {
					return
				}
				t := tiles[i]
				errs[i] = decodeTile(f, t, dst, &wd)
				if errs[i] != nil {
					next.Lock()
					n = len(tiles) // stop the others
					next.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err == nil {
			continue
		}
		if _, ok := err.(*codecs.FormatError); ok {
			return nil, err
		}
		where := what
		if img.Grid != nil {
			where = fmt.Sprintf("%s tile %d of %d (item %d)", what, i+1, len(tiles), tiles[i].img.Item.ID)
		}
		return nil, &codecs.FormatError{Format: codecs.HEIC, Kind: codecs.ErrCorrupt,
			Reason: fmt.Sprintf("%s: %v", where, err), Err: err}
	}
	return dst, nil
}

// decodeTile decodes one coded item and copies it into dst at (t.x, t.y),
// cut to dst's size.
func decodeTile(f *heif.File, t tile, dst *planes, wd *wasmDecoder) error {
	file, err := f.Standalone(t.img, !native())
	if err != nil {
		return err
	}
	place := func(p *planes) error {
		w, h := min(t.img.Width, dst.W-t.x), min(t.img.Height, dst.H-t.y)
		if p.W < w || p.H < h {
			return fmt.Errorf("decoded %dx%d, want %dx%d", p.W, p.H, t.img.Width, t.img.Height)
		}
		if p.Chroma != dst.Chroma && dst.Chroma != 0 { // mono decoded as 4:2:0: Y only

			return fmt.Errorf("decoded chroma format %d, the configuration says %d", p.Chroma, dst.Chroma)
		}
		copyPlane(dst.Y, dst.YStride, t.x, t.y, p.Y, p.YStride, w, h)
		if dst.Chroma != 0 {
			sx, sy := subsampling(dst.Chroma)
			cw, ch := (t.x+w+sx-1)/sx-t.x/sx, (t.y+h+sy-1)/sy-t.y/sy
			copyPlane(dst.Cb, dst.CStride, t.x/sx, t.y/sy, p.Cb, p.CStride, cw, ch)
			copyPlane(dst.Cr, dst.CStride, t.x/sx, t.y/sy, p.Cr, p.CStride, cw, ch)
		}
		return nil
	}
	if native() {
		return decodeNative(nativeLib, file, dst.Chroma, place)
	}
	return wd.decode(file, place)
}

func copyPlane(dst []byte, dstStride, x, y int, src []byte, srcStride, w, h int) {
	for r := range h {
		copy(dst[(y+r)*dstStride+x:(y+r)*dstStride+x+w], src[r*srcStride:r*srcStride+w])
	}
}

// subsampling returns the chroma divisors of a chroma format.
func subsampling(chroma int) (sx, sy int) {
	switch chroma {
	case 1:
		return 2, 2
	case 2:
		return 2, 1
	}
	return 1, 1
}
