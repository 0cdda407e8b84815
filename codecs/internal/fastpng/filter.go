package fastpng

// PNG filter types. Paeth is not used: with it among the heuristic's
// candidates (every byte scored, flate 6) the dall-e-2 canvases came out
// -1.3% (Leica photo), +1.3% (S7), +0.8% (immich), -0.9% (paper) and
// -0.1% (screenshot) against the four others on a quarter of each row,
// for 2-3x the filter time; Paeth alone was 2-7% bigger than the
// heuristic. Filter None for every row (as libvips writes) is smaller on
// the screenshot (-5%) and the paper (-1.6%) but 25-30% bigger on photos.
const (
	ftNone = iota
	ftSub
	ftUp
	ftAverage
)

// filterAdaptive selects the filter per row: the one whose output has the
// smallest sum of absolute values as signed bytes (the PNG specification's
// heuristic, as image/png uses).
const filterAdaptive = -1

// sampleRun is the length of the runs of bytes scored by chooseFilter.
const sampleRun = 64

// filterRow applies filter ft to cur (prev is the previous raw row, all
// zeros for the first row) and writes the filtered bytes to out.
func filterRow(out, cur, prev []byte, bpp int, ft int) {
	n := len(cur)
	out, prev = out[:n], prev[:n]
	switch ft {
	case ftNone:
		copy(out, cur)
	case ftSub:
		copy(out[:bpp], cur[:bpp])
		for i := bpp; i < n; i++ {
			out[i] = cur[i] - cur[i-bpp]
		}
	case ftUp:
		for i, v := range cur {
			out[i] = v - prev[i]
		}
	case ftAverage:
		for i := 0; i < bpp; i++ {
			out[i] = cur[i] - prev[i]/2
		}
		for i := bpp; i < n; i++ {
			out[i] = cur[i] - uint8((int(cur[i-bpp])+int(prev[i]))>>1)
		}
	}
}

// sabs is |int8(v)|, branch-free.
func sabs(v uint8) int {
	x := int(int8(v))
	m := x >> 63
	return (x ^ m) - m
}

// chooseFilter returns the filter (None, Sub, Up or Average) with the
// smallest sum of absolute signed filtered bytes for cur, scoring all four
// in one pass. With step > 1 only every step-th run of sampleRun bytes is
// scored.
func chooseFilter(cur, prev []byte, bpp, step int) int {
	n := len(cur)
	prev = prev[:n]
	var sNone, sSub, sUp, sAvg int
	for i := 0; i < bpp && i < n; i++ {
		x, b := cur[i], prev[i]
		sNone += sabs(x)
		sUp += sabs(x - b)
		sAvg += sabs(x - b/2)
	}
	sSub = sNone
	for o := bpp; o < n; o += step * sampleRun {
		end := min(o+sampleRun, n)
		for i := o; i < end; i++ {
			x, a, b := cur[i], cur[i-bpp], prev[i]
			sNone += sabs(x)
			sSub += sabs(x - a)
			sUp += sabs(x - b)
			sAvg += sabs(x - uint8((int(a)+int(b))>>1))
		}
	}
	best, bs := ftNone, sNone
	for f, v := range [...]int{ftSub: sSub, ftUp: sUp, ftAverage: sAvg} {
		if f != ftNone && v < bs {
			best, bs = f, v
		}
	}
	return best
}
