package uploadtest

import (
	"net/http"
	"path"
	"strconv"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/upload"
)

// WireParams returns the optional parameters a driver must send for req,
// by wire name, in their text form (as the fake server records them):
// every set field of req, stream=true when alwaysStream, and the Extra
// fields. It is written independently of the upload package's encoders.
func WireParams(req *upload.Request, alwaysStream bool) map[string]string {
	m := map[string]string{}
	set := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	if req.N != 0 {
		m["n"] = strconv.Itoa(req.N)
	}
	set("size", req.Size)
	set("quality", req.Quality)
	set("background", req.Background)
	set("output_format", req.OutputFormat)
	if req.OutputCompression != nil {
		m["output_compression"] = strconv.Itoa(*req.OutputCompression)
	}
	set("input_fidelity", req.InputFidelity)
	set("moderation", req.Moderation)
	set("response_format", req.ResponseFormat)
	set("user", req.User)
	set("aspect_ratio", req.AspectRatio)
	if req.Stream || alwaysStream {
		m["stream"] = "true"
	}
	if req.PartialImages != nil {
		m["partial_images"] = strconv.Itoa(*req.PartialImages)
	}
	for k, v := range req.Extra {
		m[k] = v
	}
	return m
}

// WantFile is how one sent file must arrive.
type WantFile struct {
	Field       string // "image", "image[]", "images[0]", "mask"
	ContentType string // declared type; "" for relay raw base64
	Multipart   bool   // a file name with the right extension is required
	Data        []byte
}

// WantFiles returns the files a driver with encoding enc (and the
// multipart image field override imageField) must send for req: the
// images, then the mask.
func WantFiles(req *upload.Request, enc upload.Encoding, imageField string) []WantFile {
	var out []WantFile
	field := imageField
	if field == "" {
		field = "image"
		if len(req.Images) > 1 {
			field = "image[]"
		}
	}
	ctype := func(b []byte) string {
		if enc == upload.RelayJSON {
			return ""
		}
		return codecs.Sniff(b).MIMEType()
	}
	for i, f := range req.Images {
		w := WantFile{ContentType: ctype(f.Data), Multipart: enc == upload.Multipart, Data: f.Data}
		switch enc {
		case upload.Multipart:
			w.Field = field
		case upload.JSON:
			w.Field = "images[" + strconv.Itoa(i) + "]"
		default:
			w.Field = "image"
		}
		out = append(out, w)
	}
	if req.Mask != nil {
		out = append(out, WantFile{Field: "mask", ContentType: ctype(req.Mask.Data), Multipart: enc == upload.Multipart, Data: req.Mask.Data})
	}
	return out
}

// CheckEdit asserts that rec is the edit request req as a driver with
// encoding enc must send it: POST {base}/images/edits (with ?async=true
// when async), a bearer token, the body type, model and prompt, exactly
// the fields of want (see WireParams) and no other, and the files of
// files (see WantFiles) with their field names, declared types, file
// names and bytes.
func CheckEdit(t testing.TB, rec RecordedRequest, req *upload.Request, enc upload.Encoding, async bool, want map[string]string, files []WantFile) {
	t.Helper()
	if rec.Method != http.MethodPost || rec.Path != "/v1/images/edits" {
		t.Errorf("request %s %s, want POST /v1/images/edits", rec.Method, rec.Path)
	}
	if q := rec.Query; async && q != "async=true" || !async && q != "" {
		t.Errorf("query %q, want %q", q, map[bool]string{true: "async=true"}[async])
	}
	if !rec.Authorization {
		t.Error("no Authorization header")
	}
	wantCT := "multipart/form-data"
	if enc != upload.Multipart {
		wantCT = "application/json"
	}
	if !strings.HasPrefix(rec.ContentType, wantCT) || rec.JSON != (enc != upload.Multipart) {
		t.Errorf("Content-Type %q (JSON %v), want %s", rec.ContentType, rec.JSON, wantCT)
	}
	if got := rec.Fields["model"]; len(got) != 1 || got[0] != req.Model {
		t.Errorf("model %q, want [%s]", got, req.Model)
	}
	if got := rec.Fields["prompt"]; len(got) != 1 || got[0] != req.Prompt {
		t.Errorf("prompt %.60q, want %.60q", got, req.Prompt)
	}
	for _, k := range sortedKeys(want) {
		if got := rec.Fields[k]; len(got) != 1 || got[0] != want[k] {
			t.Errorf("field %s = %q, want [%s]", k, got, want[k])
		}
	}
	for _, k := range sortedKeys(rec.Fields) {
		if _, ok := want[k]; !ok && k != "model" && k != "prompt" {
			t.Errorf("unexpected field %s = %q", k, rec.Fields[k])
		}
	}
	if len(rec.Files) != len(files) {
		t.Errorf("%d files arrived, want %d: %+v", len(rec.Files), len(files), rec.Files)
		return
	}
	for i, w := range files {
		got := rec.Files[i]
		format := codecs.Sniff(w.Data)
		if got.Field != w.Field || got.ContentType != w.ContentType || got.Format != string(format) || got.Size != int64(len(w.Data)) {
			t.Errorf("file %d arrived as field %q type %q format %q size %d, want %q %q %q %d",
				i, got.Field, got.ContentType, got.Format, got.Size, w.Field, w.ContentType, format, len(w.Data))
		}
		switch {
		case w.Multipart:
			ext := strings.ToLower(path.Ext(got.Filename))
			okExt := ext == format.Ext() || format == codecs.JPEG && ext == ".jpeg"
			if !okExt || strings.ContainsAny(got.Filename, `/\`) || strings.TrimSuffix(got.Filename, ext) == "" {
				t.Errorf("file %d has file name %q, want a base name ending in %s", i, got.Filename, format.Ext())
			}
		case got.Filename != "":
			t.Errorf("file %d has a file name %q in a JSON body", i, got.Filename)
		}
	}
}
