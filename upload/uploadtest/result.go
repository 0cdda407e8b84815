package uploadtest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/imgprep/imgprep/codecs"
)

// imageData is one entry of data[].
type imageData struct {
	B64JSON       string `json:"b64_json,omitempty"`
	URL           string `json:"url,omitempty"`
	RevisedPrompt string `json:"revised_prompt,omitempty"`
}

// editResponse is the 200 body of a synchronous edit. GPT image models
// also get background, output_format, size, quality and usage; dall-e-2
// and FLUX get created and data only, as from the real services.
type editResponse struct {
	Created      int64       `json:"created"`
	Data         []imageData `json:"data"`
	Background   string      `json:"background,omitempty"`
	OutputFormat string      `json:"output_format,omitempty"`
	Size         string      `json:"size,omitempty"`
	Quality      string      `json:"quality,omitempty"`
	Usage        *usage      `json:"usage,omitempty"`
}

// response builds data[] (b64 or URLs) and the metadata for a result.
func (h *Handler) response(j *job, res *result, root string) editResponse {
	out := editResponse{Created: time.Now().Unix()}
	urlMode := h.opts.URLResults || j.responseFormat == "url"
	b64 := h.b64(res)
	for range j.n {
		d := imageData{RevisedPrompt: j.prompt}
		if urlMode {
			d.URL = root + "/files/" + h.storeFile(res) + res.format.Ext()
		} else {
			d.B64JSON = b64
		}
		out.Data = append(out.Data, d)
	}
	if j.prof.GPTImage() {
		out.Background, out.OutputFormat, out.Size, out.Quality, out.Usage = res.background(), string(res.format), res.size(), j.qualityUsed(), j.usageFor(res)
	}
	return out
}

// b64 encodes a result, with the data URL prefix when configured.
func (h *Handler) b64(res *result) string {
	s := base64.StdEncoding.EncodeToString(res.data)
	if h.opts.DataURLPrefix {
		s = "data:" + res.format.MIMEType() + ";base64," + s
	}
	return s
}

func (res *result) size() string { return fmt.Sprintf("%dx%d", res.width, res.height) }

func (res *result) background() string {
	if res.opaque {
		return "opaque"
	}
	return "transparent"
}

// writeJSONWith marshals v and sends it through rp (which may truncate).
func writeJSONWith(rp responder, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		rp.error(&apiError{Status: http.StatusInternalServerError, Type: "server_error", Message: "fake server: encode failed"})
		return
	}
	rp.send(status, b)
}

// storedFile is a URL-mode result.
type storedFile struct {
	data   []byte
	format codecs.Format
}

// maxStoredFiles bounds the memory of a long-running fake server.
const maxStoredFiles = 256

// storeFile keeps a result for GET /files/{id}.{ext} and returns its id.
func (h *Handler) storeFile(res *result) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	id := "file-" + strconv.FormatUint(h.seq, 36) + "-" + strconv.FormatInt(time.Now().UnixNano()%1e6, 36)
	h.files[id] = storedFile{data: res.data, format: res.format}
	h.fileIDs = append(h.fileIDs, id)
	if len(h.fileIDs) > maxStoredFiles {
		delete(h.files, h.fileIDs[0])
		h.fileIDs = h.fileIDs[1:]
	}
	return id
}

// handleFile serves GET /files/{id}.{ext} without auth, like the signed
// URLs of the real services.
func (h *Handler) handleFile(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	dot := strings.LastIndexByte(name, '.')
	if dot < 0 {
		h.handleNotFound(w, r)
		return
	}
	h.mu.Lock()
	f, ok := h.files[name[:dot]]
	h.mu.Unlock()
	if !ok || name[dot:] != f.format.Ext() {
		h.handleNotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.format.MIMEType())
	w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
	_, _ = w.Write(f.data)
}
