package mask

import "image"

// Coverage is how much of a mask is edited.
type Coverage struct {
	// Editable is the share of pixels with alpha 0 (surely edited).
	Editable float64 `json:"editable_share"`
	// Partial is the share of pixels with alpha strictly between 0 and
	// 255 (soft edges: possibly edited).
	Partial float64 `json:"partial_share"`
}

// Stats measures m: the shares of fully and partly editable pixels.
func Stats(m *image.Alpha) Coverage {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	if w == 0 || h == 0 {
		return Coverage{}
	}
	var zero, part int
	for y := range h {
		for _, a := range m.Pix[y*m.Stride : y*m.Stride+w] {
			switch a {
			case 0:
				zero++
			case 255:
			default:
				part++
			}
		}
	}
	n := float64(w) * float64(h)
	return Coverage{Editable: float64(zero) / n, Partial: float64(part) / n}
}
