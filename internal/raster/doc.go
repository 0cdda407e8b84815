// Package raster holds fast geometry on images: resampling (Resize),
// conversion to *image.NRGBA (ToNRGBA), EXIF orientation (Orient,
// OrientRect, UnorientRect) and simple composition (Place, Flatten, Opaque).
//
// Resize is a separable two-pass Lanczos-3 resampler in fixed point. Every
// source is split into planes of samples (R, G, B, A premultiplied; or Y, Cb,
// Cr at their own subsampled resolution; or a single grey plane) and each
// plane is filtered horizontally then vertically. Two rows (horizontal pass)
// or two columns (vertical pass) are packed into the 32-bit halves of one
// uint64 so that a single 64-bit multiply-add filters two samples at once;
// the sums stay within ±2^31 by construction, so the halves never interfere.
// Work is split across output rows, each worker streaming its source rows
// through a small ring of horizontally filtered rows.
package raster
