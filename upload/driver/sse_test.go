package driver_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/driver"
)

func TestSSEReader(t *testing.T) {
	in := ": comment\r\nevent: a\r\ndata: one\r\ndata:two\r\nid: 7\r\n\r\nretry: 10\n\ndata: {\"x\":1}\n\nevent: tail\ndata: last"
	r := streamClient(t, 0).NewSSEReader(strings.NewReader(in))
	want := []driver.Event{{Name: "a", Data: []byte("one\ntwo"), ID: "7"}, {Data: []byte(`{"x":1}`)}, {Name: "tail", Data: []byte("last")}}
	for i, w := range want {
		ev, err := r.Next()
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		if ev.Name != w.Name || !bytes.Equal(ev.Data, w.Data) || ev.ID != w.ID {
			t.Errorf("event %d = %+v, want %+v", i, ev, w)
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("after the last event: %v, want io.EOF", err)
	}
}

func TestSSEEventCap(t *testing.T) {
	r := streamClient(t, 1000).NewSSEReader(strings.NewReader("data: " + strings.Repeat("A", 5000) + "\n\n"))
	if _, err := r.Next(); !errors.Is(err, upload.ErrMalformedResponse) {
		t.Errorf("oversized event: %v", err)
	}
}

// sseBody builds an image edit stream.
func sseBody(t testing.TB, partials int, final bool, extra string) string {
	b64 := base64.StdEncoding.EncodeToString(pngBytes(t, 4, 4))
	var sb strings.Builder
	for i := range partials {
		fmt.Fprintf(&sb, "event: image_edit.partial_image\ndata: {\"type\":\"image_edit.partial_image\",\"b64_json\":%q,\"created_at\":5,\"size\":\"1024x1024\",\"quality\":\"low\",\"background\":\"opaque\",\"output_format\":\"png\",\"partial_image_index\":%d}\n\n", b64, i)
	}
	sb.WriteString(extra)
	if final {
		fmt.Fprintf(&sb, "event: image_edit.completed\ndata: {\"type\":\"image_edit.completed\",\"b64_json\":%q,\"created_at\":9,\"size\":\"1024x1024\",\"quality\":\"low\",\"background\":\"opaque\",\"output_format\":\"png\",\"usage\":{\"input_tokens\":1,\"output_tokens\":2,\"total_tokens\":3,\"input_tokens_details\":{\"text_tokens\":1,\"image_tokens\":0}}}\n\n", b64)
	}
	return sb.String()
}

func TestReadStream(t *testing.T) {
	var got []upload.PartialImage
	resp, err := streamClient(t, 0).ReadStream(strings.NewReader(sseBody(t, 3, true, "")), func(p upload.PartialImage) { got = append(got, p) })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[2].Index != 2 || got[0].Format != codecs.PNG || got[0].Size != "1024x1024" || got[0].CreatedAt != 5 {
		t.Errorf("partials %+v", got)
	}
	if len(resp.Images) != 1 || resp.Images[0].Format != codecs.PNG || resp.Usage == nil || resp.Usage.TotalTokens != 3 || resp.Created != 9 || len(resp.Raw) == 0 {
		t.Errorf("response %+v", resp)
	}
}

func TestReadStreamFailures(t *testing.T) {
	for _, c := range []struct {
		name, body string
		is         error
	}{
		{"no completed", sseBody(t, 2, false, ""), upload.ErrMalformedResponse},
		{"empty", "", upload.ErrMalformedResponse},
		{"error event", sseBody(t, 1, false, "event: error\ndata: {\"error\":{\"message\":\"Your request was rejected\",\"type\":\"image_generation_user_error\",\"code\":\"moderation_blocked\"}}\n\n"), upload.ErrModeration},
		{"typed error", "data: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"boom\"}\n\n", upload.ErrServer},
		{"bad JSON", "event: image_edit.completed\ndata: {\"b64_json\": \"abc\n\n", upload.ErrMalformedResponse},
		{"truncated completed", "event: image_edit.completed\ndata: {\"type\":\"image_edit.completed\",\"b64_json\":\"iVBOR", upload.ErrMalformedResponse},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := streamClient(t, 0).ReadStream(strings.NewReader(c.body), nil)
			if err == nil || (c.is != nil && !errors.Is(err, c.is)) {
				t.Errorf("err = %v, want %v", err, c.is)
			}
			var ae *upload.APIError
			if strings.Contains(c.name, "error") && !errors.As(err, &ae) {
				t.Errorf("err = %v, want an *APIError", err)
			}
		})
	}
}
