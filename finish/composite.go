package finish

import (
	"image"
	"math"

	"github.com/imgprep/imgprep/internal/raster"
	"github.com/imgprep/imgprep/mask"
	"github.com/imgprep/imgprep/pipeline"
)

// composite blends the restored edit (crop-sized, in original upright
// coordinates) onto the original through the model's mask mapped back to
// the original. Pixels the mask keeps (alpha 255) are copied from the
// original unchanged.
func (f *job) composite(edited *image.NRGBA) (*image.NRGBA, error) {
	up, err := f.uprightOriginal()
	if err != nil {
		return nil, err
	}
	keep, err := f.originalMask()
	if err != nil {
		return nil, err
	}
	crop := f.plan.Crop
	dst := raster.Place(up, up.Rect.Dx(), up.Rect.Dy(), image.Point{}, up.NRGBAAt(0, 0))
	for y := range crop.H {
		oy := crop.Y + y
		krow := keep.Pix[oy*keep.Stride+crop.X : oy*keep.Stride+crop.X+crop.W]
		for x, k := range krow {
			if k == 255 {
				continue
			}
			ox := crop.X + x
			a := 255 - uint32(k) // edit weight
			d := dst.Pix[oy*dst.Stride+4*ox : oy*dst.Stride+4*ox+4]
			s := edited.Pix[y*edited.Stride+4*x : y*edited.Stride+4*x+4]
			for c := range 4 {
				d[c] = uint8((uint32(d[c])*(255-a) + uint32(s[c])*a + 127) / 255)
			}
		}
	}
	return dst, nil
}

// originalMask is the model's mask in the upright original's coordinates,
// mapped back by the plan: alpha 0 where the model was told to edit, 255
// where the original must stay, with a soft edge Feather pixels wide
// grown outward (growing by half the feather first puts the whole ramp
// outside the edit area).
func (f *job) originalMask() (*image.Alpha, error) {
	img, _, err := f.decode(f.o.Mask, PartMask)
	if err != nil {
		return nil, err
	}
	pl := f.plan
	if b := img.Bounds(); b.Dx() != pl.Canvas.W || b.Dy() != pl.Canvas.H {
		return nil, &MismatchError{Part: PartMask, Got: pipeline.Size{W: b.Dx(), H: b.Dy()}, Want: pl.Canvas}
	}
	m := pl.MaskToOriginal(mask.FromAlpha(img))
	feather := f.o.Feather
	if feather <= 0 {
		feather = int(math.Ceil(float64(pl.Crop.W) / float64(pl.Resize.W)))
	}
	return mask.Refine(m, mask.Options{Grow: feather / 2, Feather: float64(feather)}), nil
}
