package editbody_test

import (
	"image/color"
	"reflect"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/internal/editbody"
)

type jsonCase struct {
	name   string
	body   string
	images []*editbody.Part
	mask   *editbody.Part
	model  string
	fields map[string]string // Field(name) == value; "" means absent
}

func jsonCases(t testing.TB) []jsonCase {
	red := pngBytes(t, 4, 4, color.NRGBA{255, 0, 0, 255})
	photo := jpegBytes(t, 8, 6)
	mask := pngBytes(t, 4, 4, color.NRGBA{0, 0, 0, 0})
	return []jsonCase{{
		name: "official: two images, a file_id, an https URL, a mask, other members",
		body: `{
  "prompt": "a cat\u0021 \"quoted\"",
  "images": [
    {"image_url": "` + dataURL("image/png", red) + `"},
    {"file_id": "file-abc"},
    { "detail": {"x": [1, 2.50, -3e2]}, "image_url" : "` + dataURL("image/jpeg", photo) + `" },
    {"image_url": "https://example.com/x.png"}
  ],
  "model": "gpt-image-1",
  "mask": {"image_url": "` + dataURL("image/png", mask) + `"},
  "n": 2,
  "output_compression": 1.50,
  "stream": false,
  "moderation": null,
  "metadata": {"b": 1, "a": {"z": true}},
  "\u0073ize": "1024x1024"
}
`,
		images: []*editbody.Part{
			{Field: "images[0]", ContentType: "image/png", Data: red},
			{Field: "images[2]", ContentType: "image/jpeg", Data: photo},
		},
		mask:  &editbody.Part{Field: "mask", ContentType: "image/png", Data: mask},
		model: "gpt-image-1",
		fields: map[string]string{"prompt": `a cat! "quoted"`, "n": "2", "output_compression": "1.50",
			"stream": "false", "moderation": "", "metadata": "", "size": "1024x1024", "images": "", "mask": ""},
	}, {
		name:   "official: file_id mask is not touched",
		body:   `{"model":"gpt-image-1","images":[{"image_url":"` + dataURL("image/png", red) + `"}],"mask":{"file_id":"file-m"}}`,
		images: []*editbody.Part{{Field: "images[0]", ContentType: "image/png", Data: red}},
		model:  "gpt-image-1",
	}, {
		name:   "relay: one plain base64 image and mask",
		body:   `{"model":"gpt-image-1-all","prompt":"p","image":"` + b64(red) + `","mask":"` + b64(mask) + `","n":1}`,
		images: []*editbody.Part{{Field: "image", Data: red}},
		mask:   &editbody.Part{Field: "mask", Data: mask},
		model:  "gpt-image-1-all",
		fields: map[string]string{"prompt": "p", "n": "1"},
	}, {
		name:   "relay: array of plain base64, data URL and URL",
		body:   `{"image":["` + b64(red) + `", "` + dataURL("image/jpeg", photo) + `", "https://x/y.png", 7],"prompt":"two"}`,
		images: []*editbody.Part{{Field: "image[0]", Data: red}, {Field: "image[1]", ContentType: "image/jpeg", Data: photo}},
		fields: map[string]string{"prompt": "two", "model": ""},
	}, {
		name:   "relay: data URL with parameters, empty object",
		body:   `{"image":"` + dataURL("image/png;name=a.png", red) + `","extra":{}}`,
		images: []*editbody.Part{{Field: "image", ContentType: "image/png;name=a.png", Data: red}},
	}}
}

func TestJSONRoundTrip(t *testing.T) {
	for _, tc := range jsonCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			const ct = "application/json; charset=utf-8"
			b := parse(t, ct, []byte(tc.body))
			checkParts(t, b, tc.images, tc.mask)
			checkFields(t, b, editbody.JSON, tc.model, tc.fields)
			ct2, body2 := encode(t, b)
			if ct2 != ct {
				t.Errorf("content type %q, want %q", ct2, ct)
			}
			if string(body2) != tc.body { // canonical base64 in, so byte for byte
				t.Errorf("Encode changed the body:\n%s\nwant\n%s", body2, tc.body)
			}
		})
	}
}

func TestJSONReplace(t *testing.T) {
	red := pngBytes(t, 4, 4, color.NRGBA{255, 0, 0, 255})
	photo := jpegBytes(t, 8, 6)
	green := pngBytes(t, 2, 2, color.NRGBA{0, 255, 0, 255})
	official := `{"images":[{"image_url":"` + dataURL("image/png", red) + `"},{"image_url":"` + dataURL("image/jpeg", photo) +
		`"}],"prompt":"p",  "mask":{"image_url":"` + dataURL("image/png", red) + `"} }`
	relay := `{"image":["` + b64(red) + `","` + dataURL("image/jpeg", photo) + `"],"mask":"` + b64(red) + `"}`
	tests := []struct {
		name, body, want string
		change           func(b *editbody.Body)
	}{{
		name: "official: second image's Data and ContentType",
		body: official,
		change: func(b *editbody.Body) {
			b.Images[1].Data, b.Images[1].ContentType = green, "image/png"
		},
		want: strings.Replace(official, dataURL("image/jpeg", photo), dataURL("image/png", green), 1),
	}, {
		name:   "official: mask dropped",
		body:   official,
		change: func(b *editbody.Body) { b.Mask = nil },
		want:   official[:strings.Index(official, `,  "mask"`)] + " }",
	}, {
		name: "relay: plain stays plain, a data URL stays a data URL",
		body: relay,
		change: func(b *editbody.Body) {
			b.Images[0].Data = green
			b.Images[1].Data, b.Images[1].ContentType = green, "image/png"
		},
		want: `{"image":["` + b64(green) + `","` + dataURL("image/png", green) + `"],"mask":"` + b64(red) + `"}`,
	}, {
		name:   "relay: mask replaced",
		body:   relay,
		change: func(b *editbody.Body) { b.Mask = &editbody.Part{Data: green} },
		want:   strings.Replace(relay, `"mask":"`+b64(red), `"mask":"`+b64(green), 1),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := parse(t, "application/json", []byte(tt.body))
			tt.change(b)
			if _, got := encode(t, b); string(got) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestJSONLenientBase64(t *testing.T) {
	img := pngBytes(t, 3, 3, color.NRGBA{9, 9, 9, 255})
	enc := b64(img)
	for name, s := range map[string]string{
		"line breaks as JSON escapes": enc[:16] + `\n` + enc[16:32] + `\r\n` + enc[32:],
		"escaped slashes":             strings.ReplaceAll(enc, "/", `\/`),
		"unpadded":                    strings.TrimRight(enc, "="),
		"URL alphabet":                strings.NewReplacer("+", "-", "/", "_").Replace(enc),
	} {
		t.Run(name, func(t *testing.T) {
			b := parse(t, "application/json", []byte(`{"image":"`+s+`"}`))
			checkParts(t, b, []*editbody.Part{{Field: "image", Data: img}}, nil)
			if _, got := encode(t, b); string(got) != `{"image":"`+enc+`"}` {
				t.Errorf("Encode wrote %s", got)
			}
		})
	}
}

func TestJSONFields(t *testing.T) {
	body := "{\n  \"model\": \"dall-e-2\",\n  \"n\": 1,\n  \"stream\": true,\n  \"image\": \"" + b64([]byte("img")) +
		"\",\n  \"response_format\": \"url\",\n  \"n\": 4\n}"
	b := parse(t, "application/json", []byte(body))
	if n, _ := b.Field("n"); n != "4" {
		t.Errorf(`Field("n") = %q, want the last one, "4"`, n)
	}
	if _, ok := b.Field("image"); ok {
		t.Error("an image member reads as a field")
	}
	if names := b.FieldNames(); !reflect.DeepEqual(names, []string{"model", "n", "stream", "response_format"}) {
		t.Errorf("FieldNames = %q", names)
	}
	b.SetField("n", "2")          // stays a number, in the first place; the second goes
	b.SetField("stream", "false") // stays a boolean
	b.SetField("model", "gpt-image-1")
	b.SetField("image", "ignored") // carries an image: left alone
	b.DeleteField("image")
	b.DeleteField("response_format")
	b.SetField("quality", "high")
	want := "{\n  \"model\": \"gpt-image-1\",\n  \"n\": 2,\n  \"stream\": false,\n  \"image\": \"" + b64([]byte("img")) +
		"\",\n  \"quality\":\"high\"\n}"
	if _, got := encode(t, b); string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if b.Model() != "gpt-image-1" {
		t.Errorf("Model %q", b.Model())
	}
}
