// Copyright 2025 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package jpeg

// This file holds the inverse DCTs. idct8x8 is image/jpeg's (Go 1.26)
// Loeffler-Ligtenberg-Moschytz IDCT, bit for bit: the arithmetic of
// idctRow and of the column pass in idct8x8 is copied unchanged, and the
// shortcuts taken (skipping all-zero rows, rows and blocks with only a DC
// term) produce exactly what the full computation would. See image/jpeg's
// dct.go for the derivation and the precision notes.
//
// idct4x4 and idct2x2 are reduced IDCTs for scales 1/2 and 1/4. Like
// libjpeg(-turbo)'s jidctred.c, each computes the averages of 2x2 (4x4)
// groups of the pixels the full 8x8 IDCT would produce, folded into the DCT
// domain; unlike jidctred.c, which specialises the LL&M butterflies, they
// are separable matrix products with precomputed integer cosine tables
// (the k4* and k2* constants), using the symmetry of the kernel to halve
// the multiplications. Averaging pairs of outputs of the 8-point IDCT
// makes coefficient 4 vanish, and averaging groups of four makes 2, 4 and
// 6 vanish, so those are skipped. Fixed-point: 13-bit constants, 2 extra
// bits between the passes (libjpeg's CONST_BITS and PASS1_BITS). Against
// the exact (floating-point) averages of the full IDCT of random blocks,
// the largest error is 0.67 at 1/2, 0.61 at 1/4 and 0.5 (the rounding of
// DC/8) at 1/8 (TestReducedIDCTAccuracy).

// dctBox implements a 3-multiply, 3-add rotation+scaling.
// Given x0, x1, k*cos θ, and k*sin θ, dctBox returns the
// rotated and scaled coordinates.
// (It is called dctBox because the rotate+scale operation
// is drawn as a box in Figures 1 and 2 in the paper.)
func dctBox(x0, x1, kcos, ksin int32) (y0, y1 int32) {
	// y0 = x0*kcos + x1*ksin
	// y1 = -x0*ksin + x1*kcos
	ksum := kcos * (x0 + x1)
	y0 = ksum + (ksin-kcos)*x1
	y1 = ksum - (kcos+ksin)*x0
	return y0, y1
}

// A block is an 8x8 input to a 2D DCT (either the FDCT or IDCT).
// The input is actually only 8x8 uint8 values, and the outputs are 8x8 int16,
// but it is convenient to use int32s for intermediate storage,
// so we define only a single block type of [8*8]int32.
//
// A 2D DCT is implemented as 1D DCTs over the rows and columns.
type block [blockSize]int32

const blockSize = 8 * 8

// Constants needed for the implementation.
// These are all 60-bit precision fixed-point constants.
// The function c(val, b) rounds the constant to b bits.
// c is simple enough that calls to it with constant args
// are inlined and constant-propagated down to an inline constant.
// Each constant is commented with its Ivy definition (see robpike.io/ivy),
// using this scaling helper function:
//
//	op fix x = floor 0.5 + x * 2**60
const (
	cos1          = 1130768441178740757 // fix cos 1*pi/16
	sin1          = 224923827593068887  // fix sin 1*pi/16
	cos3          = 958619196450722178  // fix cos 3*pi/16
	sin3          = 640528868967736374  // fix sin 3*pi/16
	sqrt2inv      = 815238614083298888  // fix 1/sqrt 2
	sqrt2inv_cos6 = 311978311033955632  // fix (1/sqrt 2)*cos 6*pi/16
	sqrt2inv_sin6 = 753182269664427492  // fix (1/sqrt 2)*sin 6*pi/16
)

func c(x uint64, bits int) int32 {
	return int32((x + (1 << (59 - bits))) >> (60 - bits))
}

// clamp8 level-shifts an IDCT output by +128 and clips it to [0, 255], as
// image/jpeg's reconstructBlock does.
func clamp8(c int32) uint8 {
	if c < -128 {
		return 0
	} else if c > 127 {
		return 255
	}
	return uint8(c + 128)
}

// clampDC8 is the value of every pixel of a block whose only non-zero
// (dequantized) coefficient is the DC term dc, as image/jpeg's IDCT computes
// it: the row pass gives dc<<17 everywhere and the column pass rounds that
// by >> 20.
func clampDC8(dc int32) uint8 {
	return clamp8((dc<<17 + 1<<19) >> 2 >> 18)
}

// clampDC is the scaled-down value of a block from its DC term alone:
// DC/8 rounded, plus 128, clipped, as libjpeg's jpeg_idct_1x1 computes it.
func clampDC(dc int32) uint8 {
	return clamp8((dc + 4) >> 3)
}

// idct8x8 performs image/jpeg's inverse DCT of b, whose non-zero
// coefficients are within mask (bit k for b[k]), and stores the
// level-shifted and clipped result to dst. Rows of b outside mask must be
// zero; the other rows are overwritten.
func idct8x8(b *block, mask uint64, dst []byte, stride int) {
	if mask&^0xff == 0 {
		// Only row 0 is non-zero. The column pass of a column whose only
		// input is x0 gives (x0 + 1<<19) >> 20 at every row.
		idctRow((*[8]int32)(b[0:8]))
		dst = dst[:7*stride+8]
		var row [8]uint8
		for i, x := range (*[8]int32)(b[0:8]) {
			row[i] = clamp8((x + 1<<19) >> 2 >> 18)
		}
		for y := 0; y < 8; y++ {
			*(*[8]uint8)(dst[y*stride:]) = row
		}
		return
	}
	for i := 0; i < 8; i++ {
		switch mask >> (8 * i) & 0xff {
		case 0:
			// An all-zero row stays all zero.
		case 1:
			// A row with only x0 becomes x0<<17 everywhere.
			x := b[8*i] << 17
			*(*[8]int32)(b[8*i:]) = [8]int32{x, x, x, x, x, x, x, x}
		default:
			idctRow((*[8]int32)(b[8*i : 8*i+8]))
		}
	}
	idctColsStore(b, dst, stride)
}

// idctRow applies the 1D IDCT to a row of b. This is the body of
// image/jpeg's idctRows.
// Inputs are UQ8.0; outputs are Q9.20.
func idctRow(x *[8]int32) {
	x0 := x[0]
	x7 := x[1]
	x2 := x[2]
	x5 := x[3]
	x1 := x[4]
	x6 := x[5]
	x3 := x[6]
	x4 := x[7]

	// Run FDCT backward.
	// Independent operations have been reordered somewhat
	// to make precision tracking easier.
	//
	// Note that “x0, x1 = x0+x1, x0-x1” is now a reverse butterfly
	// and carries with it an implicit divide by two: the extra bit
	// is added to the precision, not the value size.

	// x[01234567] are UQ8.0 in [0, 255].

	// Stages 4, 3, 2: x0, x1, x2, x3.

	x0 <<= 17
	x1 <<= 17
	// x0, x1 now UQ8.17.
	x0, x1 = x0+x1, x0-x1
	// x0 now UQ8.18 in [0, 255].
	// x1 now Q7.18 in [-127½, 127½].

	// Note: (1/sqrt 2)*((cos 6*pi/16)+(sin 6*pi/16)) < 0.924, so no new high bit.
	x2, x3 = dctBox(x2, x3, c(sqrt2inv_cos6, 18), -c(sqrt2inv_sin6, 18))
	// x[23] now Q8.18 in [-236, 236].
	x1, x2 = x1+x2, x1-x2
	x0, x3 = x0+x3, x0-x3
	// x[0123] now Q8.19 in [-246, 246].

	// Stages 4, 3, 2: x4, x5, x6, x7.

	x4 <<= 7
	x7 <<= 7
	// x[47] now UQ8.7
	x7, x4 = x7+x4, x7-x4
	// x7 now UQ8.8 in [0, 255].
	// x4 now Q7.8 in [-127½, 127½].

	x6 = x6 * c(sqrt2inv, 8)
	x5 = x5 * c(sqrt2inv, 8)
	// x[56] now UQ8.8 in [0, 181].
	// Note that 1/√2 has five 0s in its binary representation after
	// the 8th bit, so this multipliy is actually producing 12 bits of precision.

	x7, x5 = x7+x5, x7-x5
	x4, x6 = x4+x6, x4-x6
	// x[4567] now Q8.9 in [-218, 218].

	x4, x7 = dctBox(x4>>2, x7>>2, c(cos3, 12), -c(sin3, 12))
	x5, x6 = dctBox(x5>>2, x6>>2, c(cos1, 12), -c(sin1, 12))
	// x[4567] now Q9.19 in [-303, 303].

	// Stage 1.

	x0, x7 = x0+x7, x0-x7
	x1, x6 = x1+x6, x1-x6
	x2, x5 = x2+x5, x2-x5
	x3, x4 = x3+x4, x3-x4
	// x[01234567] now Q9.20 in [-275, 275].

	// Note: we don't need all 20 bits of “precision”,
	// but it is faster to let idctCols shift it away as part
	// of other operations rather than downshift here.

	x[0] = x0
	x[1] = x1
	x[2] = x2
	x[3] = x3
	x[4] = x4
	x[5] = x5
	x[6] = x6
	x[7] = x7
}

// idctColsStore applies the 1D IDCT to the columns of b and stores the
// level-shifted, clipped results to dst. The arithmetic is image/jpeg's
// idctCols.
// Inputs are Q9.20.
func idctColsStore(b *block, dst []byte, stride int) {
	dst = dst[:7*stride+8]
	for i := range 8 {
		x0 := b[0*8+i]
		x7 := b[1*8+i]
		x2 := b[2*8+i]
		x5 := b[3*8+i]
		x1 := b[4*8+i]
		x6 := b[5*8+i]
		x3 := b[6*8+i]
		x4 := b[7*8+i]

		// x[012345678] are Q9.20.

		// Start by adding 0.5 to x0 (the incoming DC signal).
		// The butterflies will add it to all the other values,
		// and then the final shifts will round properly.
		x0 += 1 << 19

		// Stages 4, 3, 2: x0, x1, x2, x3.

		x0, x1 = (x0+x1)>>2, (x0-x1)>>2
		// x[01] now Q9.19.
		// Note: (1/sqrt 2)*((cos 6*pi/16)+(sin 6*pi/16)) < 1, so no new high bit.
		x2, x3 = dctBox(x2>>13, x3>>13, c(sqrt2inv_cos6, 12), -c(sqrt2inv_sin6, 12))
		// x[0123] now Q9.19.

		x1, x2 = x1+x2, x1-x2
		x0, x3 = x0+x3, x0-x3
		// x[0123] now Q9.20.

		// Stages 4, 3, 2: x4, x5, x6, x7.

		x7, x4 = x7+x4, x7-x4
		// x[47] now Q9.21.

		x5 = (x5 >> 13) * c(sqrt2inv, 14)
		x6 = (x6 >> 13) * c(sqrt2inv, 14)
		// x[56] now Q9.21.

		x7, x5 = x7+x5, x7-x5
		x4, x6 = x4+x6, x4-x6
		// x[4567] now Q9.22.

		x4, x7 = dctBox(x4>>14, x7>>14, c(cos3, 12), -c(sin3, 12))
		x5, x6 = dctBox(x5>>14, x6>>14, c(cos1, 12), -c(sin1, 12))
		// x[4567] now Q10.20.

		x0, x7 = x0+x7, x0-x7
		x1, x6 = x1+x6, x1-x6
		x2, x5 = x2+x5, x2-x5
		x3, x4 = x3+x4, x3-x4
		// x[01234567] now Q10.21.

		// >> 18 gives Q10.3, which image/jpeg's reconstructBlock clips
		// directly.
		dst[0*stride+i] = clamp8(x0 >> 18)
		dst[1*stride+i] = clamp8(x1 >> 18)
		dst[2*stride+i] = clamp8(x2 >> 18)
		dst[3*stride+i] = clamp8(x3 >> 18)
		dst[4*stride+i] = clamp8(x4 >> 18)
		dst[5*stride+i] = clamp8(x5 >> 18)
		dst[6*stride+i] = clamp8(x6 >> 18)
		dst[7*stride+i] = clamp8(x7 >> 18)
	}
}

// Fixed-point parameters of the reduced IDCTs.
const (
	redConstBits = 13 // Fraction bits of the kernel constants.
	redPass1Bits = 2  // Extra fraction bits kept between the two passes.
)

// The reduced IDCT kernels. For an 8-point IDCT followed by averaging
// groups of g outputs, the weight of coefficient u in output k is
//
//	K[k][u] = C(u)/2 * 1/g * Σ_{j<g} cos((2(k*g+j)+1)*u*π/16),  C(0) = 1/√2, C(u>0) = 1,
//
// here in fixed point with redConstBits fraction bits (TestReducedKernels
// recomputes them). The 2D reduced IDCT is
// out[y][x] = Σ_v Σ_u F[v][u] K[y][v] K[x][u], with F the dequantized
// coefficients, and K[n-1-k][u] = (-1)^u K[k][u] for n = 8/g outputs, so
// only the first half of the rows is needed.
const (
	// g = 2 (scale 1/2, 4 outputs): K[0][u] and K[1][u]; K[.][4] = 0.
	k4c0 = 2896 // K[k][0] for every k.
	k4a1 = 3711
	k4a2 = 2676
	k4a3 = 1303
	k4a5 = -871
	k4a6 = -1108
	k4a7 = -738
	k4b1 = 1537
	k4b2 = -2676
	k4b3 = -3146
	k4b5 = 2102
	k4b6 = 1108
	k4b7 = -306
	k2c0 = 2896 // g = 4 (scale 1/4, 2 outputs): K[0][u]; K[0][2,4,6] = 0.
	k2a1 = 2624
	k2a3 = -922
	k2a5 = 616
	k2a7 = -522
)

// foldColumns returns the mask of the columns of a block with non-zero
// coefficients in mask.
func foldColumns(mask uint64) uint8 {
	mask |= mask >> 32
	mask |= mask >> 16
	mask |= mask >> 8
	return uint8(mask)
}

// clampRed descales a reduced IDCT output of the second pass, level-shifts
// it and clips it to [0, 255].
func clampRed(x int32) uint8 {
	const shift = redConstBits + redPass1Bits
	x = (x + 128<<shift + 1<<(shift-1)) >> shift
	if uint32(x) > 255 {
		if x < 0 {
			return 0
		}
		return 255
	}
	return uint8(x)
}

// idct4x4 computes the 4x4 reduced IDCT (the 2x2 averages of the 8x8 IDCT)
// of b, whose non-zero coefficients are within mask, and stores it to dst.
func idct4x4(b *block, mask uint64, dst []byte, stride int) {
	const (
		shift1 = redConstBits - redPass1Bits
		round1 = 1 << (shift1 - 1)
	)
	var ws [4 * 8]int32
	cols := foldColumns(mask) &^ (1 << 4)
	for u := 0; u < 8; u++ {
		if cols&(1<<u) == 0 {
			continue
		}
		col := b[u:]
		f0, f1, f2, f3 := col[0*8], col[1*8], col[2*8], col[3*8]
		f5, f6, f7 := col[5*8], col[6*8], col[7*8]
		c0 := f0*k4c0 + round1
		e0 := c0 + f2*k4a2 + f6*k4a6
		e1 := c0 + f2*k4b2 + f6*k4b6
		o0 := f1*k4a1 + f3*k4a3 + f5*k4a5 + f7*k4a7
		o1 := f1*k4b1 + f3*k4b3 + f5*k4b5 + f7*k4b7
		ws[0*8+u] = (e0 + o0) >> shift1
		ws[3*8+u] = (e0 - o0) >> shift1
		ws[1*8+u] = (e1 + o1) >> shift1
		ws[2*8+u] = (e1 - o1) >> shift1
	}
	dst = dst[:3*stride+4]
	for y := 0; y < 4; y++ {
		w := (*[8]int32)(ws[8*y:])
		c0 := w[0] * k4c0
		e0 := c0 + w[2]*k4a2 + w[6]*k4a6
		e1 := c0 + w[2]*k4b2 + w[6]*k4b6
		o0 := w[1]*k4a1 + w[3]*k4a3 + w[5]*k4a5 + w[7]*k4a7
		o1 := w[1]*k4b1 + w[3]*k4b3 + w[5]*k4b5 + w[7]*k4b7
		row := (*[4]uint8)(dst[y*stride:])
		row[0] = clampRed(e0 + o0)
		row[1] = clampRed(e1 + o1)
		row[2] = clampRed(e1 - o1)
		row[3] = clampRed(e0 - o0)
	}
}

// idct2x2 computes the 2x2 reduced IDCT (the 4x4 averages of the 8x8 IDCT)
// of b, whose non-zero coefficients are within mask, and stores it to dst.
func idct2x2(b *block, mask uint64, dst []byte, stride int) {
	const (
		shift1 = redConstBits - redPass1Bits
		round1 = 1 << (shift1 - 1)
	)
	var ws [2 * 8]int32
	cols := foldColumns(mask) & 0b10101011 // Columns 0, 1, 3, 5 and 7.
	for u := 0; u < 8; u++ {
		if cols&(1<<u) == 0 {
			continue
		}
		col := b[u:]
		e := col[0*8]*k2c0 + round1
		o := col[1*8]*k2a1 + col[3*8]*k2a3 + col[5*8]*k2a5 + col[7*8]*k2a7
		ws[0*8+u] = (e + o) >> shift1
		ws[1*8+u] = (e - o) >> shift1
	}
	dst = dst[:stride+2]
	for y := 0; y < 2; y++ {
		w := (*[8]int32)(ws[8*y:])
		e := w[0] * k2c0
		o := w[1]*k2a1 + w[3]*k2a3 + w[5]*k2a5 + w[7]*k2a7
		dst[y*stride+0] = clampRed(e + o)
		dst[y*stride+1] = clampRed(e - o)
	}
}
