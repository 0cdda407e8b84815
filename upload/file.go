package upload

import (
	"path"
	"strings"

	"github.com/imgprep/imgprep/codecs"
)

// File is one image or mask to upload.
type File struct {
	// Name is the file name sent in the multipart part; only its base name
	// is sent, with the extension corrected to the sniffed format.
	Name string
	// ContentType is the part's media type; empty (or
	// application/octet-stream) means codecs.Sniff(Data).MIMEType().
	ContentType string
	// Data is the encoded image.
	Data []byte
}

// Format returns the sniffed format of f.Data.
func (f File) Format() codecs.Format { return codecs.Sniff(f.Data) }

// Normalized returns f as it is sent: Name reduced to a base name (def
// when empty) with the extension of the sniffed format, and ContentType
// filled from the format when empty or application/octet-stream.
func (f File) Normalized(def string) File {
	format := f.Format()
	if f.ContentType == "" || f.ContentType == "application/octet-stream" {
		f.ContentType = format.MIMEType()
	}
	name := path.Base(strings.ReplaceAll(f.Name, `\`, "/"))
	if name == "" || name == "." || name == "/" {
		name = def
	}
	if ext := extFor(format); ext != "" {
		cur := strings.ToLower(path.Ext(name))
		if cur != ext && !(format == codecs.JPEG && cur == ".jpeg") {
			name = strings.TrimSuffix(name, path.Ext(name)) + ext
		}
	}
	f.Name = name
	return f
}

// extFor returns the usual extension of a known format, "" otherwise.
func extFor(f codecs.Format) string {
	switch f {
	case codecs.Unknown:
		return ""
	case codecs.JPEG:
		return ".jpg"
	}
	return "." + string(f)
}

// imageName returns the default base name of image i of n.
func imageName(i, n int) string {
	if n == 1 {
		return "image"
	}
	return "image-" + itoa(i+1)
}
