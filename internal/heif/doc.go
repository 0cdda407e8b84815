// Package heif reads and writes the header boxes of HEIF files (ISO/IEC
// 23008-12, MIAF), the container of HEIC (HEVC) and AVIF (AV1) images.
//
// Parse reads the boxes only (ftyp, meta with hdlr, pitm, iinf, iloc, iref,
// idat, iprp/ipco/ipma) and resolves the primary image: its coded item or
// grid of tiles, its properties (ispe, pixi, colr, hvcC or av1C, the
// transformative clap, irot and imir in their order), its alpha plane
// (an auxl reference with an alpha auxC) and the thumbnails and other
// top-level images that the reader must ignore. No compressed data is
// touched beyond the item extents' bounds and the HEVC parameter sets
// (see ParseHEVCConfig), so Parse's cost does not depend on the declared
// dimensions.
//
// Errors are *codecs.FormatError: ErrTruncated when a box or an extent
// that the primary image needs runs past the end of the data,
// ErrUnsupported for valid files this reader does not handle (derived
// images other than grid, unknown essential properties, image sequences
// without a still image), ErrCorrupt otherwise.
//
// The writer (Builder) makes the small single-item files that the HEIC
// decoder hands to libheif, and test files: grids from separately encoded
// tiles, irot/imir/clap added to an encoder's output.
package heif
