package uploadtest

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/image/draw"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/model"
)

// EditColor is the colour the fake edit paints into the edit area: the
// mask's fully transparent pixels, or without a mask the image's own.
var EditColor = color.NRGBA{R: 0xFF, G: 0x00, B: 0xFF, A: 0xFF}

// result is one finished edit, encoded once and returned n times.
type result struct {
	data          []byte
	format        codecs.Format // PNG or JPEG
	width, height int
	opaque        bool
}

// run performs the deterministic edit: paint the edit area, invert the rest
// when no mask was given, resize to the output size, encode.
func (j *job) run() (*result, error) {
	img := toNRGBA(j.first)
	paint(img, j.mask)
	sw, sh := img.Rect.Dx(), img.Rect.Dy()
	w, h := j.outputSize(sw, sh)
	var out draw.Image = img
	if w != sw || h != sh {
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.CatmullRom.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
		out = dst
	}
	format := codecs.PNG // webp output is sent as PNG, reported as "png"
	if j.outputFormat == "jpeg" {
		format = codecs.JPEG
	}
	if format == codecs.JPEG || j.background == "opaque" {
		out = flatten(out)
	}
	var buf bytes.Buffer
	var err error
	if format == codecs.JPEG {
		err = jpeg.Encode(&buf, out, &jpeg.Options{Quality: max(1, j.compression)})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, out)
	}
	if err != nil {
		return nil, err
	}
	opaque := true
	if o, ok := out.(interface{ Opaque() bool }); ok {
		opaque = o.Opaque()
	}
	return &result{data: buf.Bytes(), format: format, width: w, height: h, opaque: opaque}, nil
}

// toNRGBA copies any image into a fresh NRGBA with origin (0,0).
func toNRGBA(src image.Image) *image.NRGBA {
	b := src.Bounds()
	dst := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Src)
	return dst
}

// paint fills the edit area with EditColor. With a mask, the edit area is
// the mask's alpha==0 pixels and everything else is kept; without one it
// is the image's alpha==0 pixels and everything else is colour-inverted.
func paint(img *image.NRGBA, mask image.Image) {
	var m *image.NRGBA
	if mask != nil {
		m = toNRGBA(mask)
	}
	p := img.Pix
	for i := 0; i+3 < len(p); i += 4 {
		edit := p[i+3] == 0
		if m != nil {
			edit = m.Pix[i+3] == 0
		}
		switch {
		case edit:
			p[i], p[i+1], p[i+2], p[i+3] = EditColor.R, EditColor.G, EditColor.B, EditColor.A
		case m == nil:
			p[i], p[i+1], p[i+2] = 255-p[i], 255-p[i+1], 255-p[i+2]
		}
	}
}

// flatten composites img over white.
func flatten(img image.Image) draw.Image {
	b := img.Bounds()
	dst := image.NewRGBA(b)
	draw.Draw(dst, b, image.White, image.Point{}, draw.Src)
	draw.Draw(dst, b, img, b.Min, draw.Over)
	return dst
}

// outputSize picks the result size: the size parameter when it is WxH,
// otherwise the model family's default for the input's shape.
func (j *job) outputSize(sw, sh int) (w, h int) {
	if w, h, ok := model.ParseSize(j.size); ok {
		return w, h
	}
	p := j.prof
	switch {
	case p.Square: // dall-e-2: keep a supported side, else the largest
		if sw == sh && slices.Contains(p.SquareSides, sw) {
			return sw, sh
		}
		s := p.MaxSquareSide()
		if s == 0 {
			s = 1024
		}
		return s, s
	case p.TakesParam("aspect_ratio"): // flux: about OutputPixels, multiples of 16
		ar := float64(sw) / float64(sh)
		if a, b, ok := strings.Cut(j.aspect, ":"); ok {
			x, err1 := strconv.ParseFloat(a, 64)
			y, err2 := strconv.ParseFloat(b, 64)
			if err1 == nil && err2 == nil && x > 0 && y > 0 {
				ar = x / y
			}
		}
		px := float64(p.OutputPixels)
		if px <= 0 {
			px = 1 << 20
		}
		return round16(math.Sqrt(px * ar)), round16(math.Sqrt(px / ar))
	}
	switch { // GPT image models
	case sw > sh:
		return 1536, 1024
	case sw < sh:
		return 1024, 1536
	}
	return 1024, 1024
}

func round16(x float64) int { return max(16, int(math.Round(x/16))*16) }

// usage is the token accounting of GPT image models.
type usage struct {
	InputTokens        int          `json:"input_tokens"`
	OutputTokens       int          `json:"output_tokens"`
	TotalTokens        int          `json:"total_tokens"`
	InputTokensDetails inputDetails `json:"input_tokens_details"`
}

type inputDetails struct {
	TextTokens  int `json:"text_tokens"`
	ImageTokens int `json:"image_tokens"`
}

// usageFor computes plausible token counts: prompt runes/4 text tokens,
// 65 + 129 per 512 px tile per input image (+4096 at input_fidelity=high),
// and OpenAI's published output token table scaled by pixel count.
func (j *job) usageFor(res *result) *usage {
	if !j.prof.GPTImage() {
		return nil
	}
	text := max(1, len([]rune(j.prompt))/4)
	img := 0
	for _, f := range j.images {
		img += imageTokens(f.info.Width, f.info.Height)
		if j.fidelity == "high" {
			img += 4096
		}
	}
	base := map[string]int{"low": 272, "medium": 1056, "high": 4160}[j.quality]
	if base == 0 {
		base = 1056
	}
	out := j.n * int(math.Round(float64(base)*float64(res.width*res.height)/(1024*1024)))
	return &usage{InputTokens: text + img, OutputTokens: out, TotalTokens: text + img + out,
		InputTokensDetails: inputDetails{TextTokens: text, ImageTokens: img}}
}

// imageTokens fits the image in 2048x2048, scales the short side down to
// 512 and counts 512 px tiles.
func imageTokens(w, h int) int {
	if w <= 0 || h <= 0 {
		return 65
	}
	fw, fh := float64(w), float64(h)
	if s := 2048 / math.Max(fw, fh); s < 1 {
		fw, fh = fw*s, fh*s
	}
	if s := 512 / math.Min(fw, fh); s < 1 {
		fw, fh = fw*s, fh*s
	}
	return 65 + 129*int(math.Ceil(fw/512)*math.Ceil(fh/512))
}

// qualityUsed is the quality reported back ("auto" resolves to medium).
func (j *job) qualityUsed() string {
	if j.quality == "auto" || j.quality == "" {
		return "medium"
	}
	return j.quality
}
