package webpenc

// Options are the libwebp settings Encode passes. The zero value of the
// optional ones (FilterStrength, Segments, SNSStrength, Preprocessing)
// keeps libwebp's default; set them to the wanted value plus one.
type Options struct {
	// Lossless selects VP8L; Quality is then the compression effort.
	Lossless bool
	// Quality is 0..100.
	Quality float32
	// Method is 0 (fastest) .. 6 (smallest).
	Method int
	// Threads lets libwebp use a second thread (lossy: the analysis and
	// the token passes overlap; lossless: the two entropy trials).
	Threads bool
	// Exact keeps the RGB of fully transparent pixels (lossless).
	Exact bool
	// SharpYUV uses the slower, sharper RGB->YUV conversion (lossy).
	SharpYUV bool
	// FilterStrength is the loop filter strength 0..100, plus one.
	FilterStrength int
	// Segments is 1..4 (0: libwebp's default, 4).
	Segments int
	// SNSStrength is the spatial noise shaping 0..100, plus one.
	SNSStrength int
	// Preprocessing is libwebp's preprocessing bits, plus one.
	Preprocessing int
	// InPlace (lossless with Exact) lets the encoder read the pixels where
	// they are instead of a copy: Encode reorders them to BGRA during the
	// call and back before it returns, so nothing may read them meanwhile.
	// With opaque set, the alpha bytes must all be 255.
	InPlace bool
}
