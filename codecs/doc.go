// Package codecs identifies, probes, decodes and encodes the image formats
// imgprep handles.
//
// Format identity comes from magic bytes only (Sniff), never from a file name
// or from image.Decode's registration order. Probe reads headers and metadata
// without allocating pixels, so that limits (pixel count, animation) are
// enforced before any expensive work. Decode checks the declared pixel count
// from the header before allocating a pixel. Encode writes PNG, JPEG and WebP.
package codecs
