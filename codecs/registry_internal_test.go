package codecs

import (
	"image"
	"strings"
	"testing"
)

type fakeDecoder struct{}

func (fakeDecoder) Probe([]byte) (Info, error) { return Info{Width: 2, Height: 1, BitDepth: 8}, nil }
func (fakeDecoder) Decode([]byte, DecodeOptions) (image.Image, error) {
	return image.NewGray(image.Rect(0, 0, 2, 1)), nil
}

// withRegistry runs fn with an empty registry, restoring it afterwards.
func withRegistry(t *testing.T, fn func()) {
	t.Helper()
	regMu.Lock()
	saved := registry
	registry = map[Format]Decoder{}
	regMu.Unlock()
	defer func() { regMu.Lock(); registry = saved; regMu.Unlock() }()
	fn()
}

func TestRegisterDecoder(t *testing.T) {
	withRegistry(t, func() {
		heic := []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")
		if HEIC.Decodable() {
			t.Fatal("HEIC decodable before registration")
		}
		RegisterDecoder(HEIC, fakeDecoder{})
		if !HEIC.Decodable() || AVIF.Decodable() {
			t.Fatal("Decodable does not follow the registry")
		}
		if got := Decoders(); len(got) != 1 || got[0] != HEIC {
			t.Fatalf("Decoders() = %v", got)
		}
		info, err := Probe(heic)
		if err != nil || info.Format != HEIC || info.Orientation != 1 || info.Frames != 1 {
			t.Fatalf("Probe through the registry: %+v, %v", info, err)
		}
		if _, _, err := Decode(heic, DecodeOptions{MaxPixels: 1}); err == nil {
			t.Fatal("the pixel limit is not checked before a registered decoder")
		}
		img, _, err := Decode(heic, DecodeOptions{})
		if err != nil || img.Bounds().Dx() != 2 {
			t.Fatalf("Decode through the registry: %v", err)
		}
		for _, tc := range []struct {
			name string
			fn   func()
			want string
		}{
			{"duplicate", func() { RegisterDecoder(HEIC, fakeDecoder{}) }, "twice"},
			{"nil", func() { RegisterDecoder(AVIF, nil) }, "nil"},
			{"built-in", func() { RegisterDecoder(PNG, fakeDecoder{}) }, "only heic and avif"},
		} {
			func() {
				defer func() {
					r := recover()
					if s, _ := r.(string); !strings.Contains(s, tc.want) {
						t.Errorf("%s: panic %v, want one saying %q", tc.name, r, tc.want)
					}
				}()
				tc.fn()
			}()
		}
	})
}
