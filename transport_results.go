package imgprep

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/finish"
)

// maxResponseBytes bounds a response body read for post-processing.
const maxResponseBytes = 512 << 20

func (o ResultOptions) active() bool {
	return o.Restore || o.SaveFormat != codecs.Unknown || o.SaveCompression != nil
}

// finishResponse post-processes the b64_json results of a successful
// non-stream JSON response; any other response is returned untouched. A
// result that cannot be post-processed is left as the server sent it.
func (t *transport) finishResponse(ctx context.Context, resp *http.Response, ed *edit) *http.Response {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if resp.StatusCode != http.StatusOK || mt != "application/json" || len(ed.prepared) == 0 {
		return resp
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	resp.Body.Close()
	if err != nil || len(data) > maxResponseBytes {
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(data), errReader{fmt.Errorf("imgprep: response body: %v", err)}))
		return resp
	}
	if out, ok := t.finishJSON(ctx, data, ed); ok {
		data = out
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	resp.ContentLength = int64(len(data))
	resp.Header.Set("Content-Length", strconv.Itoa(len(data)))
	resp.Header.Del("Content-Encoding")
	return resp
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// finishJSON rewrites data[].b64_json (and output_format, size) of an edit
// response; ok is false when nothing was changed.
func (t *transport) finishJSON(ctx context.Context, data []byte, ed *edit) ([]byte, bool) {
	var doc map[string]json.RawMessage
	var items []map[string]json.RawMessage
	if json.Unmarshal(data, &doc) != nil || json.Unmarshal(doc["data"], &items) != nil {
		return nil, false
	}
	o := finish.Options{Restore: t.opts.Results.Restore, SaveFormat: t.opts.Results.SaveFormat, SaveCompression: t.opts.Results.SaveCompression}
	plan := ed.prepared[0].Plan
	changed := false
	var last *finish.Result
	for _, it := range items {
		var b64 string
		if json.Unmarshal(it["b64_json"], &b64) != nil || b64 == "" {
			continue
		}
		if i := strings.Index(b64, ";base64,"); strings.HasPrefix(b64, "data:") && i > 0 {
			b64 = b64[i+len(";base64,"):]
		}
		img, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			continue
		}
		res, err := finish.Finish(ctx, img, plan, o)
		if err != nil {
			continue
		}
		it["b64_json"], _ = json.Marshal(base64.StdEncoding.EncodeToString(res.Data))
		changed, last = true, res
	}
	if !changed {
		return nil, false
	}
	doc["data"], _ = json.Marshal(items)
	if _, ok := doc["output_format"]; ok || t.opts.Results.SaveFormat != codecs.Unknown {
		doc["output_format"], _ = json.Marshal(last.Format.String())
	}
	if _, ok := doc["size"]; ok {
		doc["size"], _ = json.Marshal(fmt.Sprintf("%dx%d", last.Width, last.Height))
	}
	out, err := json.Marshal(doc)
	return out, err == nil
}
