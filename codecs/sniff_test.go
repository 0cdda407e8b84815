package codecs_test

import (
	"testing"

	"github.com/imgprep/imgprep/codecs"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want codecs.Format
	}{
		{"empty", "", codecs.Unknown},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", codecs.PNG},
		{"png damaged signature", "\x89PNG\r\n\x1a\x00\x00\x00\x00\x0dIHDR", codecs.Unknown},
		{"png missing first byte", "PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", codecs.Unknown},
		{"png CRLF damage", "\x89PNG\r\r\n\x1a\n\x00\x00\x00\x0dIHDR", codecs.Unknown},
		{"jpeg jfif", "\xff\xd8\xff\xe0\x00\x10JFIF\x00", codecs.JPEG},
		{"jpeg exif", "\xff\xd8\xff\xe1\x12\x34Exif\x00\x00", codecs.JPEG},
		{"jpeg SOI only", "\xff\xd8", codecs.Unknown},
		{"webp", "RIFF\x24\x00\x00\x00WEBPVP8 ", codecs.WebP},
		{"riff wave", "RIFF\x24\x00\x00\x00WAVEfmt ", codecs.Unknown},
		{"riff short", "RIFF\x24\x00\x00\x00WEB", codecs.Unknown},
		{"gif87a", "GIF87a\x01\x00\x01\x00", codecs.GIF},
		{"gif89a", "GIF89a\x01\x00\x01\x00", codecs.GIF},
		{"gif bad version", "GIF88a\x01\x00\x01\x00", codecs.Unknown},
		{"bmp", "BM\x46\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00", codecs.BMP},
		{"bmp too short", "BM\x46\x00", codecs.Unknown},
		{"tiff little-endian", "II*\x00\x08\x00\x00\x00", codecs.TIFF},
		{"tiff big-endian", "MM\x00*\x00\x00\x00\x08", codecs.TIFF},
		{"heic major brand", "\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", codecs.HEIC},
		{"heif mif1 only", "\x00\x00\x00\x10ftypmif1\x00\x00\x00\x00", codecs.HEIC},
		{"heic compatible brand", "\x00\x00\x00\x1cftypmsf1\x00\x00\x00\x00msf1hevc", codecs.HEIC},
		{"avif major brand", "\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", codecs.AVIF},
		{"avif after mif1", "\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1avifmiaf", codecs.AVIF},
		{"avif sequence", "\x00\x00\x00\x18ftypavis\x00\x00\x00\x00avismsf1", codecs.AVIF},
		{"mp4 is not an image", "\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", codecs.Unknown},
		{"ftyp with bogus size", "\xff\xff\xff\xffftypheic\x00\x00\x00\x00", codecs.HEIC},
		{"text", "hello, world", codecs.Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := codecs.Sniff([]byte(tt.in)); got != tt.want {
				t.Errorf("Sniff = %q, want %q", got, tt.want)
			}
		})
	}
}
