package raster_test

import (
	"errors"
	"fmt"
	"image"
	"runtime"
	"sync"
	"testing"

	"github.com/imgprep/imgprep/internal/raster"
	"github.com/imgprep/imgprep/internal/testimg"
)

// filler copies a finished image into a blank one of the same layout, in
// bands of rows, top to bottom, in a goroutine, the way a JPEG decoder
// fills its image: ready waits for the rows it asks for. Rows read before
// they are filled read zeros (and race with the filler under -race).
type filler struct {
	mu   sync.Mutex
	cond sync.Cond
	done int   // rows [0, done) of the full image are filled
	fail int   // when > 0, the fill stops there with errFill
	err  error // set when the fill stopped
	asks int
}

var errFill = errors.New("fill failed")

// fill starts filling dst (blank, same type and layout as src, whole
// images with Min (0, 0)) from src in bands of band rows (a multiple of
// the vertical chroma subsampling).
func (f *filler) fill(dst, src image.Image, band int) {
	f.cond.L = &f.mu
	h := src.Bounds().Dy()
	go func() {
		for y0 := 0; y0 < h; y0 += band {
			y1 := min(y0+band, h)
			if f.fail > 0 && y1 > f.fail {
				f.mu.Lock()
				f.err = errFill
				f.cond.Broadcast()
				f.mu.Unlock()
				return
			}
			switch s := src.(type) {
			case *image.YCbCr:
				d := dst.(*image.YCbCr)
				copy(d.Y[y0*d.YStride:y1*d.YStride], s.Y[y0*s.YStride:y1*s.YStride])
				_, vd := raster.ChromaDiv(s.SubsampleRatio)
				c0, c1 := y0/vd, (y1+vd-1)/vd
				copy(d.Cb[c0*d.CStride:c1*d.CStride], s.Cb[c0*s.CStride:c1*s.CStride])
				copy(d.Cr[c0*d.CStride:c1*d.CStride], s.Cr[c0*s.CStride:c1*s.CStride])
			case *image.Gray:
				d := dst.(*image.Gray)
				copy(d.Pix[y0*d.Stride:y1*d.Stride], s.Pix[y0*s.Stride:y1*s.Stride])
			case *image.NRGBA:
				d := dst.(*image.NRGBA)
				copy(d.Pix[y0*d.Stride:y1*d.Stride], s.Pix[y0*s.Stride:y1*s.Stride])
			case *image.RGBA:
				d := dst.(*image.RGBA)
				copy(d.Pix[y0*d.Stride:y1*d.Stride], s.Pix[y0*s.Stride:y1*s.Stride])
			}
			f.mu.Lock()
			f.done = y1
			f.cond.Broadcast()
			f.mu.Unlock()
			runtime.Gosched()
		}
	}()
}

func (f *filler) ready(y int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asks++
	for f.done < y {
		if f.err != nil {
			return f.err
		}
		f.cond.Wait()
	}
	return nil
}

func blankLike(m image.Image) image.Image {
	switch m := m.(type) {
	case *image.YCbCr:
		return image.NewYCbCr(m.Rect, m.SubsampleRatio)
	case *image.Gray:
		return image.NewGray(m.Rect)
	case *image.NRGBA:
		return image.NewNRGBA(m.Rect)
	case *image.RGBA:
		return image.NewRGBA(m.Rect)
	}
	panic("unexpected type")
}

// resizeRows is raster.ResizeRows, or for an *image.RGBA (opaque in these
// tests) raster.ResizeOpaqueRowsInto.
func resizeRows(src image.Image, w, h int, ready func(int) error) (*image.NRGBA, error) {
	m, ok := src.(*image.RGBA)
	if !ok {
		return raster.ResizeRows(src, w, h, ready)
	}
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	return dst, raster.ResizeOpaqueRowsInto(dst, m, ready, nil)
}

func subImage(m image.Image, r image.Rectangle) image.Image {
	return m.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(r)
}

// TestResizeRows checks that ResizeRows on an image filled while it runs
// gives exactly Resize's result on the finished image, for every YCbCr
// subsampling, gray, opaque RGBA (ResizeOpaqueRowsInto) and (waiting for
// all rows) NRGBA, whole and cropped
// at odd offsets, for downscales (mild, large, beyond the box threshold),
// upscales and same-size conversions, at several chunkings.
func TestResizeRows(t *testing.T) {
	defer raster.SetChunks(0)
	base := synth(203, 157, false)
	gray := image.NewGray(base.Rect)
	for i := range gray.Pix {
		gray.Pix[i] = base.Pix[4*i+1]
	}
	srcs := map[string]image.Image{"gray": gray, "nrgba": synth(203, 157, true),
		"rgba-opaque": &image.RGBA{Pix: base.Pix, Stride: base.Stride, Rect: base.Rect}}
	for _, r := range []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	} {
		srcs[r.String()] = toYCbCr(base, r)
	}
	crops := []image.Rectangle{base.Rect, image.Rect(3, 5, 190, 150), image.Rect(0, 7, 203, 157), image.Rect(10, 0, 150, 131)}
	dsts := [][2]int{{150, 116}, {101, 78}, {40, 11}, {20, 3}, {300, 200}, {187, 145}}
	for name, src := range srcs {
		for _, crop := range crops {
			for _, d := range dsts {
				for _, chunks := range []int{0, 1, 3} {
					raster.SetChunks(chunks)
					want := raster.Resize(subImage(src, crop), d[0], d[1])
					blank := blankLike(src)
					f := &filler{}
					f.fill(blank, src, 16)
					got, err := resizeRows(subImage(blank, crop), d[0], d[1], f.ready)
					label := fmt.Sprintf("%s crop %v -> %v, %d chunks", name, crop, d, chunks)
					if err != nil {
						t.Fatalf("%s: %v", label, err)
					}
					if md := maxDiff(got, want); md != 0 {
						t.Fatalf("%s: differs from Resize by up to %d", label, md)
					}
					f.ready(src.Bounds().Max.Y) // let the filler finish before the next case
				}
			}
		}
	}
}

// TestResizeRowsPhoto checks ResizeRows on the 12 MP photo at the
// gpt-image-1 and dall-e-2 geometry.
func TestResizeRowsPhoto(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	ph := loadPhoto(t)
	for _, d := range [][2]int{{1536, 1152}, {1024, 768}, {300, 200}} {
		want := raster.Resize(ph, d[0], d[1])
		blank := blankLike(ph)
		f := &filler{}
		f.fill(blank, ph, 8)
		got, err := raster.ResizeRows(blank, d[0], d[1], f.ready)
		if err != nil {
			t.Fatal(err)
		}
		if md := maxDiff(got, want); md != 0 {
			t.Errorf("%v: differs from Resize by up to %d", d, md)
		}
		f.ready(ph.Rect.Max.Y)
	}
}

// TestResizeRowsError checks that an error from ready stops ResizeRows,
// which returns it, and that it leaves no goroutine behind.
func TestResizeRowsError(t *testing.T) {
	before := runtime.NumGoroutine()
	src := toYCbCr(synth(203, 157, false), image.YCbCrSubsampleRatio420)
	for _, fail := range []int{16, 64, 150} {
		for _, d := range [][2]int{{150, 116}, {40, 11}, {203, 157}} {
			blank := blankLike(src)
			f := &filler{fail: fail}
			f.fill(blank, src, 16)
			got, err := raster.ResizeRows(blank, d[0], d[1], f.ready)
			if !errors.Is(err, errFill) || got != nil {
				t.Errorf("fail at %d, %v: got %v, %v; want %v", fail, d, got != nil, err, errFill)
			}
		}
	}
	testimg.WaitGoroutines(t, before)
}

// TestResizeRowsIntoDone checks ResizeRowsInto's done reports: n only
// grows, ends at the height, is reported on the calling goroutine more
// than once while the source is still being filled, and whenever it is
// reported the first n rows already hold their final values.
func TestResizeRowsIntoDone(t *testing.T) {
	defer raster.SetChunks(0)
	for _, chunks := range []int{0, 1, 3} {
		raster.SetChunks(chunks)
		src := toYCbCr(synth(203, 157, false), image.YCbCrSubsampleRatio420)
		for _, d := range [][2]int{{150, 116}, {40, 11}, {300, 200}} {
			want := raster.Resize(src, d[0], d[1])
			blank := blankLike(src)
			f := &filler{}
			f.fill(blank, src, 16)
			dst := image.NewNRGBA(image.Rect(0, 0, d[0], d[1]))
			var reports []int
			err := raster.ResizeRowsInto(dst, blank, f.ready, func(n int) {
				if len(reports) > 0 && n < reports[len(reports)-1] {
					t.Errorf("%v: done(%d) after done(%d)", d, n, reports[len(reports)-1])
				}
				reports = append(reports, n)
				w := want.Stride
				top := &image.NRGBA{Pix: dst.Pix[:n*w], Stride: w, Rect: image.Rect(0, 0, d[0], n)}
				ref := &image.NRGBA{Pix: want.Pix[:n*w], Stride: w, Rect: image.Rect(0, 0, d[0], n)}
				if md := maxDiff(top, ref); md != 0 {
					t.Errorf("%v, %d chunks: at done(%d) the top rows differ from the result by %d", d, chunks, n, md)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(reports) == 0 || reports[len(reports)-1] != d[1] {
				t.Errorf("%v: reports %v, want the last to be %d", d, reports, d[1])
			}
			if chunks != 1 && len(reports) < 2 {
				t.Errorf("%v, %d chunks: reports %v, want some while streaming", d, chunks, reports)
			}
			f.ready(src.Bounds().Max.Y)
		}
	}
}
