package uploadtest

import (
	"encoding/json"
	"net/http"
	"time"
)

// streamEvent is an image_edit.partial_image or image_edit.completed event.
type streamEvent struct {
	Type         string `json:"type"`
	B64JSON      string `json:"b64_json"`
	CreatedAt    int64  `json:"created_at"`
	Size         string `json:"size"`
	Quality      string `json:"quality"`
	Background   string `json:"background"`
	OutputFormat string `json:"output_format"`
	PartialIndex *int   `json:"partial_image_index,omitempty"`
	Usage        *usage `json:"usage,omitempty"`
}

// stream answers stream=true with Server-Sent Events: partial_images
// partial events (the final image, so clients can decode them), then one
// image_edit.completed per requested image, flushing after each. With
// Options.FailTask the stream ends with an error event after the partials;
// with a Truncate fault it stops in the middle of the first completed event.
func (h *Handler) stream(w http.ResponseWriter, r *http.Request, j *job, res *result, truncate bool) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	send := func(event string, v any, half bool) {
		b, _ := json.Marshal(v)
		msg := []byte("event: " + event + "\ndata: " + string(b) + "\n\n")
		if half {
			msg = msg[:len(msg)/2]
		}
		_, _ = w.Write(msg)
		_ = rc.Flush()
	}
	base := streamEvent{B64JSON: h.b64(res), CreatedAt: time.Now().Unix(), Size: res.size(),
		Quality: j.qualityUsed(), Background: res.background(), OutputFormat: string(res.format)}
	for i := range j.partials {
		ev := base
		ev.Type, ev.PartialIndex = "image_edit.partial_image", &i
		send(ev.Type, ev, false)
		if r.Context().Err() != nil {
			return
		}
	}
	if h.opts.FailTask != "" {
		e := &apiError{Type: "server_error", Code: "stream_failed", Message: h.opts.FailTask}
		send("error", errorBody{Error: e.object()}, false)
		return
	}
	for range j.n {
		ev := base
		ev.Type, ev.Usage = "image_edit.completed", j.usageFor(res)
		send(ev.Type, ev, truncate)
		if truncate {
			abort(w)
		}
	}
}
