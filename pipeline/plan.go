package pipeline

import (
	"encoding/json"
	"image"
	"math"

	"github.com/imgprep/imgprep/codecs"
)

// Size is a width and height in pixels.
type Size struct {
	W int `json:"width"`
	H int `json:"height"`
}

// Rect is an axis-aligned rectangle: origin and size, in pixels.
type Rect struct {
	X int `json:"x"`
	Y int `json:"y"`
	W int `json:"width"`
	H int `json:"height"`
}

// Image returns r as an image.Rectangle.
func (r Rect) Image() image.Rectangle { return image.Rect(r.X, r.Y, r.X+r.W, r.Y+r.H) }

// RectOf converts an image.Rectangle.
func RectOf(r image.Rectangle) Rect { return Rect{r.Min.X, r.Min.Y, r.Dx(), r.Dy()} }

// Plan is every geometric and encoding decision for one input, made from
// the probe before any pixel work. It is the record that maps points and
// masks between the original (upright) and the prepared image, and the
// record post-processing inverts; nothing downstream re-derives geometry.
//
// The steps, in order: apply Orientation to get the upright original
// (Upright size); cut Crop out of it; scale the crop to Resize; place it at
// Content inside a Canvas filled with Fill; encode as Format.
type Plan struct {
	Model string `json:"model"`
	// Source is what the probe found in the input.
	Source codecs.Info `json:"source"`
	// InputBytes is the size of the input file.
	InputBytes int `json:"input_bytes"`
	// Orientation is the EXIF orientation applied (1 = none).
	Orientation int `json:"orientation"`
	// Upright is the original's displayed size, after orientation.
	Upright Size `json:"upright"`
	// Crop is the part of the upright original that is kept.
	Crop Rect `json:"crop"`
	// Resize is the size the crop is scaled to.
	Resize Size `json:"resize"`
	// Canvas is the prepared image's size.
	Canvas Size `json:"canvas"`
	// Content is where the resized crop sits inside the canvas.
	Content Rect `json:"content"`
	// Fill is the padding: "transparent", "#rrggbb", or "" when no padding.
	Fill string `json:"fill,omitempty"`
	// Format is the output format; Quality applies to JPEG and lossy WebP.
	Format   codecs.Format `json:"format"`
	Quality  int           `json:"quality,omitempty"`
	Lossless bool          `json:"lossless,omitempty"`
	// Alpha says the output keeps an alpha channel.
	Alpha bool `json:"alpha"`
	// Passthrough: the input already complies and is sent untouched.
	Passthrough bool `json:"passthrough"`
	// Reasons lists why the input does not comply as is (empty for a
	// passthrough).
	Reasons []string `json:"reasons,omitempty"`
	// Budget is the inclusive byte budget for the output.
	Budget int64 `json:"budget"`
}

// MarshalIndent returns the plan as indented JSON.
func (p *Plan) MarshalIndent() ([]byte, error) { return json.MarshalIndent(p, "", "  ") }

// ParsePlan reads a plan written by MarshalIndent or json.Marshal.
func ParsePlan(b []byte) (*Plan, error) {
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// scale returns the horizontal and vertical scale factors crop -> resize.
func (p *Plan) scale() (sx, sy float64) {
	return float64(p.Resize.W) / float64(p.Crop.W), float64(p.Resize.H) / float64(p.Crop.H)
}

// ToPrepared maps a point in the upright original to prepared (canvas)
// coordinates. Coordinates are continuous: pixel (i, j) covers [i, i+1).
func (p *Plan) ToPrepared(x, y float64) (float64, float64) {
	sx, sy := p.scale()
	return (x-float64(p.Crop.X))*sx + float64(p.Content.X), (y-float64(p.Crop.Y))*sy + float64(p.Content.Y)
}

// ToOriginal maps a point in prepared (canvas) coordinates back to the
// upright original.
func (p *Plan) ToOriginal(x, y float64) (float64, float64) {
	sx, sy := p.scale()
	return (x-float64(p.Content.X))/sx + float64(p.Crop.X), (y-float64(p.Content.Y))/sy + float64(p.Crop.Y)
}

// RectToPrepared maps a rectangle of the upright original to the smallest
// covering rectangle in prepared coordinates, clipped to the content area.
func (p *Plan) RectToPrepared(r image.Rectangle) image.Rectangle {
	x0, y0 := p.ToPrepared(float64(r.Min.X), float64(r.Min.Y))
	x1, y1 := p.ToPrepared(float64(r.Max.X), float64(r.Max.Y))
	return cover(x0, y0, x1, y1).Intersect(p.Content.Image())
}

// RectToOriginal maps a rectangle of prepared coordinates to the smallest
// covering rectangle of the upright original, clipped to the crop.
func (p *Plan) RectToOriginal(r image.Rectangle) image.Rectangle {
	x0, y0 := p.ToOriginal(float64(r.Min.X), float64(r.Min.Y))
	x1, y1 := p.ToOriginal(float64(r.Max.X), float64(r.Max.Y))
	return cover(x0, y0, x1, y1).Intersect(p.Crop.Image())
}

// cover returns the integer rectangle covering the continuous box, with a
// small epsilon so that exact scaled edges do not grow by a pixel.
func cover(x0, y0, x1, y1 float64) image.Rectangle {
	const eps = 1e-6
	return image.Rect(
		int(math.Floor(x0+eps)), int(math.Floor(y0+eps)),
		int(math.Ceil(x1-eps)), int(math.Ceil(y1-eps)),
	)
}

// Padded reports whether the canvas has padding around the content.
func (p *Plan) Padded() bool { return p.Content.W != p.Canvas.W || p.Content.H != p.Canvas.H }

// Cropped reports whether part of the original is cut away.
func (p *Plan) Cropped() bool { return p.Crop.W != p.Upright.W || p.Crop.H != p.Upright.H }
