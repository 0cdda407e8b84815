package editbody_test

import (
	"bytes"
	"image/color"
	"reflect"
	"testing"

	"github.com/imgprep/imgprep/internal/editbody"
)

type multipartCase struct {
	name   string
	parts  []wirePart
	images []*editbody.Part
	mask   *editbody.Part
	model  string
	fields map[string]string // Field(name) == value; "" with a missing key means absent
}

func multipartCases(t testing.TB) []multipartCase {
	red := pngBytes(t, 4, 4, color.NRGBA{255, 0, 0, 255})
	blue := pngBytes(t, 4, 4, color.NRGBA{0, 0, 255, 255})
	photo := jpegBytes(t, 8, 6)
	mask := pngBytes(t, 4, 4, color.NRGBA{0, 0, 0, 0})
	return []multipartCase{{
		name: "image[] and mask among text fields",
		parts: []wirePart{
			text("model", "gpt-image-1"),
			file("image[]", "a.png", "image/png", red),
			text("prompt", "a cat\r\nin a hat"),
			file("image[]", "b.jpg", "image/jpeg", photo),
			file("mask", "mask.png", "image/png", mask),
			text("n", "2"),
			text("size", "1024x1024"),
			text("stream", "true"),
			text("user", "u-1"),                                       // unknown text field
			file("reference", "ref.png", "image/png", blue),           // unknown file part
			file("image", "", "text/plain", []byte("no filename:-)")), // filename="" still a file
		},
		images: []*editbody.Part{
			{Field: "image[]", Filename: "a.png", ContentType: "image/png", Data: red},
			{Field: "image[]", Filename: "b.jpg", ContentType: "image/jpeg", Data: photo},
			{Field: "image", Filename: "", ContentType: "text/plain", Data: []byte("no filename:-)")},
		},
		mask:   &editbody.Part{Field: "mask", Filename: "mask.png", ContentType: "image/png", Data: mask},
		model:  "gpt-image-1",
		fields: map[string]string{"prompt": "a cat\r\nin a hat", "n": "2", "size": "1024x1024", "stream": "true", "user": "u-1"},
	}, {
		name: "repeated image, as Azure-style gateways want",
		parts: []wirePart{
			file("image", "one.png", "image/png", red),
			file("image", "two.png", "image/png", blue),
			text("prompt", "merge"),
			text("model", "dall-e-2"),
		},
		images: []*editbody.Part{
			{Field: "image", Filename: "one.png", ContentType: "image/png", Data: red},
			{Field: "image", Filename: "two.png", ContentType: "image/png", Data: blue},
		},
		model:  "dall-e-2",
		fields: map[string]string{"prompt": "merge", "reference": ""},
	}, {
		name: "indexed image[0] image[1]",
		parts: []wirePart{
			file("image[0]", "dir/x.png", "image/png", red),
			file("image[1]", "y.jpeg", "image/jpeg", photo),
			text("image", "a text field named image is no image"),
		},
		images: []*editbody.Part{
			{Field: "image[0]", Filename: "dir/x.png", ContentType: "image/png", Data: red},
			{Field: "image[1]", Filename: "y.jpeg", ContentType: "image/jpeg", Data: photo},
		},
		fields: map[string]string{"image": "a text field named image is no image"},
	}, {
		name: "openai-go style CreateFormFile (application/octet-stream)",
		parts: []wirePart{
			sdkFile("image", "image.png", red),
			sdkFile("mask", "mask.png", mask),
			text("prompt", "p"),
			text("model", "gpt-image-1.5"),
		},
		images: []*editbody.Part{{Field: "image", Filename: "image.png", ContentType: "application/octet-stream", Data: red}},
		mask:   &editbody.Part{Field: "mask", Filename: "mask.png", ContentType: "application/octet-stream", Data: mask},
		model:  "gpt-image-1.5",
	}}
}

func TestMultipartRoundTrip(t *testing.T) {
	for _, tc := range multipartCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			ct, body := buildMultipart(t, tc.parts...)
			b := parse(t, ct, body)
			checkParts(t, b, tc.images, tc.mask)
			checkFields(t, b, editbody.Multipart, tc.model, tc.fields)
			ct2, body2 := encode(t, b)
			if ct2 == ct {
				t.Error("Encode kept the boundary")
			}
			assertParts(t, readMultipart(t, ct2, body2), readMultipart(t, ct, body))
		})
	}
}

// assertParts compares parts read back, headers included.
func assertParts(t *testing.T, got, want []wirePart) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d parts, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i].Header, want[i].Header) {
			t.Errorf("part %d header %v, want %v", i, got[i].Header, want[i].Header)
		}
		if got[i].Name != want[i].Name || got[i].Filename != want[i].Filename || !bytes.Equal(got[i].Data, want[i].Data) {
			t.Errorf("part %d: %q %q (%d bytes), want %q %q (%d bytes)", i,
				got[i].Name, got[i].Filename, len(got[i].Data), want[i].Name, want[i].Filename, len(want[i].Data))
		}
	}
}

func TestMultipartReplace(t *testing.T) {
	tc := multipartCases(t)[0]
	ct, body := buildMultipart(t, tc.parts...)
	newPNG := pngBytes(t, 2, 2, color.NRGBA{0, 255, 0, 255})
	tests := []struct {
		name   string
		change func(b *editbody.Body)
		want   func(parts []wirePart) []wirePart // from the input's parts
	}{{
		name: "Data, ContentType and Filename of the second image",
		change: func(b *editbody.Body) {
			p := b.Images[1]
			p.Data, p.ContentType, p.Filename = newPNG, "image/png", "b.png"
		},
		want: func(parts []wirePart) []wirePart {
			parts[3] = file("image[]", "b.png", "image/png", newPNG)
			return parts
		},
	}, {
		name: "a new *Part in place of the first image, renamed to image",
		change: func(b *editbody.Body) {
			b.Images[0] = &editbody.Part{Field: "image", Filename: `q"uote\.png`, ContentType: "image/webp", Data: []byte("RIFF")}
		},
		want: func(parts []wirePart) []wirePart {
			parts[1] = file("image", `q"uote\.png`, "image/webp", []byte("RIFF"))
			return parts
		},
	}, {
		name:   "an empty Field keeps the received one",
		change: func(b *editbody.Body) { b.Images[0].Field = "" },
		want:   func(parts []wirePart) []wirePart { return parts },
	}, {
		name:   "no Content-Type",
		change: func(b *editbody.Body) { b.Mask.ContentType = "" },
		want: func(parts []wirePart) []wirePart {
			parts[4].Header.Del("Content-Type")
			return parts
		},
	}, {
		name:   "mask dropped",
		change: func(b *editbody.Body) { b.Mask = nil },
		want:   func(parts []wirePart) []wirePart { return append(parts[:4], parts[5:]...) },
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := parse(t, ct, body)
			tt.change(b)
			ct2, body2 := encode(t, b)
			assertParts(t, readMultipart(t, ct2, body2), tt.want(readMultipart(t, ct, body)))
		})
	}
}

func TestMultipartFields(t *testing.T) {
	ct, body := buildMultipart(t,
		text("model", "dall-e-2"),
		file("image", "a.png", "image/png", pngBytes(t, 2, 2, color.NRGBA{})),
		text("n", "1"),
		text("response_format", "url"),
		text("n", "3"),
		file("mask", "m.png", "image/png", []byte("m")),
	)
	b := parse(t, ct, body)
	if n, _ := b.Field("n"); n != "3" {
		t.Errorf(`Field("n") = %q, want the last one, "3"`, n)
	}
	if _, ok := b.Field("mask"); ok {
		t.Error("a file part reads as a field")
	}
	if names := b.FieldNames(); !reflect.DeepEqual(names, []string{"model", "n", "response_format"}) {
		t.Errorf("FieldNames = %q", names)
	}
	b.SetField("n", "2")               // replaces the first in place, drops the second
	b.SetField("model", "gpt-image-1") // in place
	b.SetField("quality", "high")      // added at the end
	b.DeleteField("response_format")
	b.SetField("mask", "x") // carries the mask: left alone
	b.DeleteField("image")
	if b.Model() != "gpt-image-1" {
		t.Errorf("Model %q after SetField", b.Model())
	}
	ct2, body2 := encode(t, b)
	var got []string
	for _, p := range readMultipart(t, ct2, body2) {
		got = append(got, p.Name+"="+string(p.Data))
	}
	want := []string{"model=gpt-image-1", "image=" + string(b.Images[0].Data), "n=2", "mask=m", "quality=high"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parts %q\nwant  %q", got, want)
	}
}

func TestMultipartTransferEncoding(t *testing.T) {
	img := pngBytes(t, 3, 3, color.NRGBA{1, 2, 3, 255})
	b64part := file("image", "a.png", "image/png", []byte(b64(img)[:20]+"\r\n"+b64(img)[20:]))
	b64part.Header.Set("Content-Transfer-Encoding", "base64")
	b64part.Header.Set("Content-Length", "999")
	ct, body := buildMultipart(t, b64part)
	b := parse(t, ct, body)
	checkParts(t, b, []*editbody.Part{{Field: "image", Filename: "a.png", ContentType: "image/png", Data: img}}, nil)
	ct2, body2 := encode(t, b)
	assertParts(t, readMultipart(t, ct2, body2), []wirePart{file("image", "a.png", "image/png", img)})
}
