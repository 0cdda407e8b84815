package codecs

import (
	"fmt"
	"image"
	"slices"
	"sync"
)

// Decoder reads a format that codecs recognises by its magic bytes but
// does not decode itself (HEIC, AVIF). Optional packages implement it and
// register it, so that a program pays for such a codec (its dependencies,
// its licence obligations) only when it imports one:
//
//	import _ "github.com/imgprep/imgprep/codecs/heic" // registers codecs.HEIC
//
// Probe, Decode and every function built on them (pipeline.Prepare, the
// CLI) then accept the format like a built-in one.
type Decoder interface {
	// Probe reads the headers as codecs.Probe documents: no pixel
	// decoding, memory independent of the declared size, Width and Height
	// in stored orientation with Orientation saying how to make it upright.
	Probe(data []byte) (Info, error)
	// Decode decodes the image in stored orientation, bounds at (0, 0) and
	// Probe's Width x Height. codecs.Decode calls it only after Probe and
	// the pixel and animation limits passed, but a Decoder must honour
	// opts.MaxPixels itself for anything it decodes beyond what Probe
	// reported (the tiles of a grid, an alpha plane).
	Decode(data []byte, opts DecodeOptions) (image.Image, error)
}

var (
	regMu    sync.RWMutex
	registry = map[Format]Decoder{}
)

// RegisterDecoder makes d the decoder of format f. Like database/sql's
// Register, it panics when d is nil, when f already has a decoder, or when
// f is not a format that Sniff recognises and codecs leaves to others
// (HEIC and AVIF).
func RegisterDecoder(f Format, d Decoder) {
	regMu.Lock()
	defer regMu.Unlock()
	if d == nil {
		panic("codecs: RegisterDecoder of a nil decoder for " + f.String())
	}
	if f != HEIC && f != AVIF {
		panic(fmt.Sprintf("codecs: RegisterDecoder(%s): only heic and avif take a registered decoder", f))
	}
	if _, dup := registry[f]; dup {
		panic("codecs: RegisterDecoder called twice for " + f.String())
	}
	registry[f] = d
}

// Decoders returns the formats that have a registered decoder, sorted.
func Decoders() []Format {
	regMu.RLock()
	defer regMu.RUnlock()
	fs := make([]Format, 0, len(registry))
	for f := range registry {
		fs = append(fs, f)
	}
	slices.Sort(fs)
	return fs
}

func registered(f Format) Decoder {
	regMu.RLock()
	defer regMu.RUnlock()
	return registry[f]
}

// importPath names the package that registers f, for the error a program
// without it gets.
func importPath(f Format) string {
	return "github.com/imgprep/imgprep/codecs/" + string(f)
}

// notRegistered is the error for a recognised format without a decoder.
func notRegistered(f Format) *FormatError {
	return newErr(f, ErrUnsupported,
		"%s is recognised but no decoder is linked in (import %s); convert to JPEG or PNG first", f, importPath(f))
}

// probeRegistered runs a registered decoder's Probe, keeping the error
// contract: *FormatError with the format set, a sentinel kind.
func probeRegistered(f Format, b []byte) (Info, error) {
	d := registered(f)
	if d == nil {
		return Info{Format: f}, notRegistered(f)
	}
	info, err := d.Probe(b)
	info.Format = f
	if err != nil {
		return info, classify(f, err)
	}
	return info, nil
}
