// Package codecstream decodes and encodes images row by row, so that
// pipeline can resize the top of a JPEG while its bottom is decoded and
// encode the output's rows as the resize finishes them: Decode is
// codecs.Decode in a goroutine of its own that hands over the rows of a
// sequential JPEG as they are final, and JPEGEncoder entropy-codes a JPEG
// while its image is produced.
//
// The results are exactly codecs.Decode's and codecs.EncodeBytes': the
// decode is codecs.Decode itself (with a progress receiver that only this
// module can pass), and the encoder is the one codecs.Encode uses.
package codecstream
