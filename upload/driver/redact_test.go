package driver_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/driver"
)

func TestKeyNeverShown(t *testing.T) {
	cfg := upload.Config{APIKey: testKey, Header: http.Header{"Api-Key": {testKey}, "X-Trace": {"t1"}}}
	cl, err := driver.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		out = append(out, fmt.Sprintf(f, cfg), fmt.Sprintf(f, &cfg), fmt.Sprintf(f, cl))
	}
	// Servers that echo the key back in every way we can think of.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		switch r.URL.Query().Get("mode") {
		case "json":
			writeJSON(w, 401, apiErrorBody(401, "invalid_api_key", "Incorrect API key provided: "+strings.TrimPrefix(auth, "Bearer ")))
		case "html":
			w.WriteHeader(500)
			_, _ = fmt.Fprintf(w, "<pre>%s</pre>", auth)
		case "stream":
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = fmt.Fprintf(w, "event: error\ndata: {\"error\":{\"message\":\"key %s\",\"code\":\"x\"}}\n\n", strings.TrimPrefix(auth, "Bearer "))
		default:
			writeJSON(w, 200, fmt.Appendf(nil, `{"error":{"message":"%s"}}`, auth))
		}
	}))
	defer echo.Close()
	for _, mode := range []string{"json", "html", "stream", "ok"} {
		cl, _ := newClient(t, echo.URL+"/v1?mode="+mode, func(c *upload.Config) { c.Retry.MaxRetries = -1 })
		req := gptRequest(t)
		req.Stream = mode == "stream"
		_, err := cl.Edit(context.Background(), req, upload.Multipart)
		if err == nil {
			t.Fatalf("mode %s: no error", mode)
		}
		out = append(out, err.Error(), fmt.Sprintf("%+v", err))
	}
	// Transport errors.
	cl2, _ := newClient(t, "http://127.0.0.1:1/v1", func(c *upload.Config) { c.Retry.MaxRetries = -1 })
	_, err = cl2.Edit(context.Background(), gptRequest(t), upload.Multipart)
	out = append(out, err.Error())
	// Validation errors and the registry.
	out = append(out, fmt.Sprint((&upload.Request{Model: testKey}).Validate(nil, upload.Multipart)))
	for i, s := range out {
		if strings.Contains(s, testKey) || strings.Contains(s, "SECRETKEY") {
			t.Errorf("output %d leaks the key: %s", i, s)
		}
	}
	if got := upload.Redact("Authorization: Bearer abc.def and sk-proj-ABCDEFGH12345678"); got != "Authorization: Bearer [REDACTED] and [REDACTED]" {
		t.Errorf("Redact = %q", got)
	}
}
