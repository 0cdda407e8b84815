package heif

import (
	"fmt"
	"image"
	"math/big"
	"strings"

	"github.com/imgprep/imgprep/internal/raster"
)

// mat is a 2x2 integer matrix acting on pixel offsets from the image
// centre, y down: (x, y) -> (m[0]x + m[1]y, m[2]x + m[3]y).
type mat [4]int

func (a mat) mul(b mat) mat { // a after b
	return mat{a[0]*b[0] + a[1]*b[2], a[0]*b[1] + a[1]*b[3], a[2]*b[0] + a[3]*b[2], a[2]*b[1] + a[3]*b[3]}
}

// exifMats are the display transforms of EXIF orientations 1..8 (index 0
// unused): 2 mirrors left-right, 3 rotates 180°, 4 mirrors top-bottom, 5
// transposes, 6 rotates 90° clockwise, 7 transverses, 8 rotates 90°
// anti-clockwise (internal/raster.Orient's meanings).
var exifMats = [9]mat{
	{}, {1, 0, 0, 1}, {-1, 0, 0, 1}, {-1, 0, 0, -1}, {1, 0, 0, -1},
	{0, 1, 1, 0}, {0, -1, 1, 0}, {0, -1, -1, 0}, {0, 1, -1, 0},
}

// exifOf returns the EXIF orientation whose transform is m. The eight
// EXIF orientations are exactly the eight rotations and mirrorings of a
// rectangle (the dihedral group of order 8), so every sequence of irot
// and imir properties is one of them.
func exifOf(m mat) int {
	for o := 1; o <= 8; o++ {
		if exifMats[o] == m {
			return o
		}
	}
	panic("heif: not a rotation or mirroring")
}

// irotMat is irot's anti-clockwise quarter turn; imirMats are imir's
// axis 0 (top-bottom) and axis 1 (left-right) mirrors.
var (
	irotMat  = exifMats[8]
	imirMats = [2]mat{exifMats[4], exifMats[2]}
)

// Layout is what the primary image's transformative properties ask of the
// decoder, in the terms of the rest of imgprep.
type Layout struct {
	// Orientation is the EXIF orientation (1..8) equivalent to the irot
	// and imir properties taken together.
	Orientation int
	// Crop is the clean aperture in stored (decoded, untransformed)
	// coordinates; the whole image when there is no clap.
	Crop image.Rectangle
	// Desc describes the transforms, e.g. "irot 90° anti-clockwise, imir
	// left-right"; "" when there are none.
	Desc string
}

// Layout computes the primary image's orientation and clean aperture. A
// clap that follows an irot or imir is given in the transformed image's
// coordinates and is mapped back to the stored image.
func (img *Image) Layout() (Layout, error) {
	l := Layout{Orientation: 1, Crop: image.Rect(0, 0, img.Width, img.Height)}
	m := exifMats[1]
	var desc []string
	for _, t := range img.Transforms {
		switch t.Kind {
		case "irot":
			for range t.Rot {
				m = irotMat.mul(m)
			}
			if t.Rot != 0 {
				desc = append(desc, fmt.Sprintf("irot %d° anti-clockwise", 90*t.Rot))
			}
		case "imir":
			m = imirMats[t.Axis].mul(m)
			desc = append(desc, []string{"imir top-bottom", "imir left-right"}[t.Axis])
		case "clap":
			o := exifOf(m)
			// The current image: the crop so far, transformed by o.
			sw, sh := l.Crop.Dx(), l.Crop.Dy()
			w, h := sw, sh
			if o >= 5 {
				w, h = sh, sw
			}
			r, err := clapRect(t.Clap, w, h)
			if err != nil {
				return l, err
			}
			r = raster.UnorientRect(r, sw, sh, o).Add(l.Crop.Min)
			l.Crop = r
			desc = append(desc, fmt.Sprintf("clap %dx%d", r.Dx(), r.Dy()))
		}
	}
	l.Orientation = exifOf(m)
	l.Desc = strings.Join(desc, ", ")
	return l, nil
}

// clapRect is the clean aperture of a w x h image, rounded as libheif
// does: the centre is at (w-1)/2 + hOff, the left edge at centre -
// (cw-1)/2, the right at centre + (cw-1)/2, both rounded down.
func clapRect(c Clap, w, h int) (image.Rectangle, error) {
	frac := func(n int64, d int64) *big.Rat { return big.NewRat(n, d) }
	edge := func(size int, off *big.Rat, clean *big.Rat) (int, int) {
		centre := new(big.Rat).Add(off, frac(int64(size-1), 2))
		half := new(big.Rat).Sub(clean, big.NewRat(1, 1))
		half.Quo(half, big.NewRat(2, 1))
		lo := new(big.Rat).Sub(centre, half)
		hi := new(big.Rat).Add(centre, half)
		return floor(lo), floor(hi) + 1
	}
	x0, x1 := edge(w, frac(int64(c.HOffN), int64(c.HOffD)), frac(int64(c.WN), int64(c.WD)))
	y0, y1 := edge(h, frac(int64(c.VOffN), int64(c.VOffD)), frac(int64(c.HN), int64(c.HD)))
	r := image.Rect(x0, y0, x1, y1)
	if r.Empty() || !r.In(image.Rect(0, 0, w, h)) {
		return r, fmt.Errorf("heif: clean aperture %v outside the %dx%d image", r, w, h)
	}
	return r, nil
}

func floor(r *big.Rat) int {
	q := new(big.Int).Div(r.Num(), r.Denom()) // Euclidean: floor for d > 0
	return int(q.Int64())
}
