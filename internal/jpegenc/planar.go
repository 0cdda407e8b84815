package jpegenc

import "image"

// planar420 reports whether m's blocks can be read straight from its
// planes: 4:2:0 with an even origin, so that each 8x8 chroma block is the
// 2x2 average image/jpeg takes of its 16x16 luma area.
func planar420(m *image.YCbCr) bool {
	return m.SubsampleRatio == image.YCbCrSubsampleRatio420 && m.Rect.Min.X%2 == 0 && m.Rect.Min.Y%2 == 0
}

// writeRow420 is writeRow for a planar420 image: luma blocks copied from
// the Y plane and one chroma block per MCU from each chroma plane, edges
// repeated, with no colour conversion and no averaging (the same
// coefficients as through yCbCrToYCbCr and scale, at a fraction of the
// work).
func (e *encoder) writeRow420(m *image.YCbCr, y int) {
	var b block
	var prevDCY, prevDCCb, prevDCCr int32
	r := m.Rect
	cx0, cy0 := r.Min.X/2, r.Min.Y/2
	cxMax, cyMax := (r.Max.X-1)/2-cx0, (r.Max.Y-1)/2-cy0
	for x := r.Min.X; x < r.Max.X; x += 16 {
		for i := 0; i < 4; i++ {
			planeBlock(&b, m.Y, m.YStride, x+(i&1)*8-r.Min.X, y+(i&2)*4-r.Min.Y, r.Dx()-1, r.Dy()-1)
			prevDCY = e.writeBlock(&b, 0, prevDCY)
		}
		cx, cy := x/2-cx0, y/2-cy0
		planeBlock(&b, m.Cb, m.CStride, cx, cy, cxMax, cyMax)
		prevDCCb = e.writeBlock(&b, 1, prevDCCb)
		planeBlock(&b, m.Cr, m.CStride, cx, cy, cxMax, cyMax)
		prevDCCr = e.writeBlock(&b, 1, prevDCCr)
	}
}

// planeBlock loads the 8x8 samples of a plane at (x, y), repeating the
// last column xMax and row yMax beyond them.
func planeBlock(b *block, pix []uint8, stride, x, y, xMax, yMax int) {
	for j := 0; j < 8; j++ {
		row := pix[min(y+j, yMax)*stride:]
		if x+8 <= xMax+1 {
			row = row[x : x+8 : x+8]
			for i, v := range row {
				b[8*j+i] = int32(v)
			}
			continue
		}
		for i := 0; i < 8; i++ {
			b[8*j+i] = int32(row[min(x+i, xMax)])
		}
	}
}
