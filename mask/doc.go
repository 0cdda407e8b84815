// Package mask builds, reads, resamples and validates edit masks for
// OpenAI-compatible image edit APIs. It knows nothing of models: limits
// (byte caps, which models take a mask) live in package pipeline.
//
// # Convention: alpha 0 = EDIT, alpha 255 = KEEP
//
// Every mask in this package is an *image.Alpha in OpenAI's sense:
//
//	alpha   0  the model edits this pixel (fully transparent in the PNG)
//	alpha 255  the model keeps this pixel (opaque)
//	in between a soft edge (feather); only alpha 0 is surely edited
//
// This is the opposite of the "white = edit" convention of paint tools
// and of most other model APIs. The inversion happens exactly once, at
// the way in: FromImage reads a painting (white = edit) and FromAlpha an
// image's alpha channel (transparent = edit, OpenAI's convention as is);
// FromShapes takes the areas to edit. Downstream nothing is inverted:
// a value of 0 always means "edit here".
//
// Coordinates are continuous: pixel (i, j) covers [i, i+1) x [j, j+1),
// so Rect{X: 10, W: 5} covers pixels 10..14 exactly and a shape edge that
// falls inside a pixel gives that pixel a partial (anti-aliased) value.
//
// The library never logs: warnings come back in a Report.
package mask
