package driver_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/upload"
)

// detail returns err's message without the "upload: " prefix, failing
// when err offers none or its message is not "upload: " + it.
func detail(t *testing.T, err error) string {
	t.Helper()
	d, ok := err.(interface{ Detail() string })
	if !ok || err.Error() != "upload: "+d.Detail() {
		t.Fatalf("%T %q: no Detail that is the message without \"upload: \"", err, err)
	}
	return d.Detail()
}

func TestErrorDetails(t *testing.T) {
	cl, _ := newClient(t, "http://127.0.0.1:1", nil)
	ae := cl.NewAPIError(429, http.Header{"X-Request-Id": {"req_1"}}, []byte(`{"error":{"message":"slow down","code":"rate_limit_exceeded"}}`))
	if d := detail(t, ae); d != "429 rate_limit_exceeded: slow down (request req_1)" {
		t.Errorf("APIError detail %q", d)
	}

	req := &upload.Request{Model: "dall-e-2", Prompt: "p", Images: []upload.File{{Data: pngBytes(t, 8, 8)}}, Quality: "high"}
	if d := detail(t, req.Validate(nil, upload.Multipart)); !strings.HasPrefix(d, "model dall-e-2 does not accept") {
		t.Errorf("ParamError detail %q", d)
	}

	_, err := cl.Result(context.Background(), []byte("not json"))
	if d := detail(t, err); !errors.Is(err, upload.ErrMalformedResponse) || !strings.HasPrefix(d, "response is not valid JSON") {
		t.Errorf("malformed response detail %q", d)
	}
}

func TestDownloadError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":{"message":"no such file","code":"not_found"}}`)
	}))
	defer srv.Close()
	cl, _ := newClient(t, srv.URL, nil)
	_, err := cl.Result(context.Background(), fmt.Appendf(nil, `{"data":[{"b64_json":"aGk="},{"url":%q}]}`, srv.URL+"/gone.png"))
	var de *upload.DownloadError
	var ae *upload.APIError
	if !errors.As(err, &de) || de.Image != 1 || !errors.Is(err, upload.ErrDownload) || !errors.As(err, &ae) || ae.StatusCode != 404 {
		t.Fatalf("err %v, want a DownloadError of image 1 wrapping the 404", err)
	}
	if d := detail(t, err); d != "downloading image 2: "+ae.Detail() || strings.Contains(d, "upload: ") {
		t.Errorf("detail %q", d)
	}
}
