package heif

import (
	"errors"
)

// HEVCConfig is what the decoder needs from an hvcC box and the sequence
// parameter set inside it (ITU-T H.265 7.3.2.2 and Annex E).
type HEVCConfig struct {
	// ChromaFormat is chroma_format_idc: 0 monochrome, 1 4:2:0, 2 4:2:2,
	// 3 4:4:4.
	ChromaFormat   int
	BitDepthLuma   int
	BitDepthChroma int
	// Width and Height are the coded picture size after the conformance
	// window; CodedWidth and CodedHeight before it.
	Width, Height           int
	CodedWidth, CodedHeight int
	// HasSPS: an SPS was found and parsed up to its VUI.
	HasSPS bool
	// VUI video signal type; VUIColour when colour_description_present.
	VUISignal bool
	FullRange bool
	VUIColour bool
	Primaries int
	Transfer  int
	Matrix    int
}

var errBits = errors.New("heif: SPS ends early")

// ParseHEVCConfig reads an hvcC payload and the first SPS in it.
func ParseHEVCConfig(b []byte) (HEVCConfig, error) {
	var c HEVCConfig
	rd := reader{b: b}
	rd.take(1 + 1 + 4 + 6 + 1 + 2 + 1) // version .. parallelismType
	c.ChromaFormat = int(rd.u8() & 3)
	c.BitDepthLuma = int(rd.u8()&7) + 8
	c.BitDepthChroma = int(rd.u8()&7) + 8
	rd.take(3) // avgFrameRate, constantFrameRate.. lengthSizeMinusOne
	arrays := int(rd.u8())
	if rd.bad {
		return c, errors.New("heif: hvcC box too short")
	}
	for range arrays {
		typ := rd.u8() & 0x3f
		n := int(rd.u16())
		for range n {
			l := int(rd.u16())
			nal := rd.take(l)
			if rd.bad {
				return c, errors.New("heif: hvcC NAL array cut")
			}
			if typ == 33 && !c.HasSPS && len(nal) > 2 {
				if err := c.parseSPS(unescape(nal[2:])); err != nil {
					return c, err
				}
				c.HasSPS = true
			}
		}
	}
	return c, nil
}

// unescape removes emulation prevention bytes (00 00 03).
func unescape(b []byte) []byte {
	out := make([]byte, 0, len(b))
	zeros := 0
	for _, v := range b {
		if zeros >= 2 && v == 3 {
			zeros = 0
			continue
		}
		if v == 0 {
			zeros++
		} else {
			zeros = 0
		}
		out = append(out, v)
	}
	return out
}

// bits reads an RBSP bit by bit; reading past the end sets bad.
type bits struct {
	b   []byte
	pos int
	bad bool
}

func (r *bits) u(n int) int {
	v := 0
	for range n {
		if r.pos >= 8*len(r.b) {
			r.bad = true
			return 0
		}
		v = v<<1 | int(r.b[r.pos>>3]>>(7-r.pos&7)&1)
		r.pos++
	}
	return v
}

func (r *bits) flag() bool { return r.u(1) == 1 }

// ue reads an Exp-Golomb code, capped at 31 leading zeros.
func (r *bits) ue() int {
	z := 0
	for !r.bad && r.u(1) == 0 {
		if z++; z > 31 {
			r.bad = true
			return 0
		}
	}
	return (1<<z - 1) + r.u(z)
}

func (r *bits) se() int {
	k := r.ue()
	if k&1 == 1 {
		return (k + 1) / 2
	}
	return -k / 2
}

func (c *HEVCConfig) parseSPS(b []byte) error {
	r := &bits{b: b}
	r.u(4) // sps_video_parameter_set_id
	maxSub := r.u(3)
	r.u(1)
	profileTierLevel(r, maxSub)
	r.ue() // sps_seq_parameter_set_id
	c.ChromaFormat = r.ue()
	if c.ChromaFormat > 3 {
		return errors.New("heif: SPS chroma_format_idc above 3")
	}
	if c.ChromaFormat == 3 {
		r.u(1) // separate_colour_plane_flag
	}
	c.CodedWidth, c.CodedHeight = r.ue(), r.ue()
	c.Width, c.Height = c.CodedWidth, c.CodedHeight
	if r.flag() { // conformance_window_flag
		l, rt, t, bt := r.ue(), r.ue(), r.ue(), r.ue()
		sw, sh := 1, 1
		switch c.ChromaFormat {
		case 1:
			sw, sh = 2, 2
		case 2:
			sw = 2
		}
		c.Width -= sw * (l + rt)
		c.Height -= sh * (t + bt)
	}
	c.BitDepthLuma, c.BitDepthChroma = r.ue()+8, r.ue()+8
	pocBits := r.ue() + 4
	i := maxSub
	if r.flag() { // sps_sub_layer_ordering_info_present_flag
		i = 0
	}
	for ; i <= maxSub; i++ {
		r.ue()
		r.ue()
		r.ue()
	}
	for range 6 { // coding and transform block sizes, hierarchy depths
		r.ue()
	}
	if r.flag() && r.flag() { // scaling_list_enabled, sps_scaling_list_data_present
		scalingListData(r)
	}
	r.u(2)        // amp, sample_adaptive_offset
	if r.flag() { // pcm_enabled_flag
		r.u(8)
		r.ue()
		r.ue()
		r.u(1)
	}
	n := r.ue()
	if n > 64 {
		return errors.New("heif: SPS has more than 64 short-term reference picture sets")
	}
	numDelta := make([]int, n)
	for i := range n {
		numDelta[i] = stRefPicSet(r, i, numDelta)
	}
	if r.flag() { // long_term_ref_pics_present_flag
		k := r.ue()
		if k > 32 {
			return errors.New("heif: SPS has more than 32 long-term reference pictures")
		}
		for range k {
			r.u(pocBits + 1)
		}
	}
	r.u(2) // sps_temporal_mvp, strong_intra_smoothing
	if r.bad {
		return errBits
	}
	if !r.flag() { // vui_parameters_present_flag
		return nil
	}
	if r.flag() { // aspect_ratio_info_present_flag
		if r.u(8) == 255 {
			r.u(32)
		}
	}
	if r.flag() { // overscan_info_present_flag
		r.u(1)
	}
	if r.flag() { // video_signal_type_present_flag
		r.u(3)
		c.VUISignal = true
		c.FullRange = r.flag()
		if r.flag() {
			c.VUIColour = true
			c.Primaries, c.Transfer, c.Matrix = r.u(8), r.u(8), r.u(8)
		}
	}
	if r.bad {
		c.VUISignal, c.VUIColour = false, false
		return errBits
	}
	return nil
}

func profileTierLevel(r *bits, maxSub int) {
	r.u(32)
	r.u(32)
	r.u(32) // general profile, flags, level: 96 bits
	var prof, lvl [8]bool
	for i := range maxSub {
		prof[i], lvl[i] = r.flag(), r.flag()
	}
	if maxSub > 0 {
		for i := maxSub; i < 8; i++ {
			r.u(2)
		}
	}
	for i := range maxSub {
		if prof[i] {
			r.u(32)
			r.u(32)
			r.u(24)
		}
		if lvl[i] {
			r.u(8)
		}
	}
}

func scalingListData(r *bits) {
	for size := range 4 {
		step := 1
		if size == 3 {
			step = 3
		}
		for m := 0; m < 6; m += step {
			if !r.flag() {
				r.ue()
				continue
			}
			n := min(64, 1<<(4+size<<1))
			if size > 1 {
				r.se()
			}
			for range n {
				r.se()
			}
			if r.bad {
				return
			}
		}
	}
}

// stRefPicSet skips st_ref_pic_set(idx) of an SPS and returns its
// NumDeltaPocs.
func stRefPicSet(r *bits, idx int, numDelta []int) int {
	if idx != 0 && r.flag() { // inter_ref_pic_set_prediction_flag
		r.u(1)
		r.ue()
		n := 0
		for range numDelta[idx-1] + 1 {
			used := r.flag()
			if used || r.flag() {
				n++
			}
		}
		return n
	}
	neg, pos := r.ue(), r.ue()
	if neg > 16 || pos > 16 {
		r.bad = true
		return 0
	}
	for range neg + pos {
		r.ue()
		r.u(1)
	}
	return neg + pos
}
