package finish

import "github.com/imgprep/imgprep/codecs"

// keepMetadata copies the original JPEG's EXIF (orientation reset to 1:
// the pixels are upright now) and ICC profile into a JPEG output.
func (f *job) keepMetadata(out []byte, format codecs.Format) []byte {
	if format != codecs.JPEG || codecs.Sniff(f.o.Original) != codecs.JPEG {
		f.warn("metadata is kept for JPEG originals written as JPEG only; none copied")
		return out
	}
	m := codecs.ReadJPEGMetadata(f.o.Original)
	codecs.SetOrientation(m.Exif, 1)
	return m.Insert(out)
}
