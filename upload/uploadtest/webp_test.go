package uploadtest_test

import (
	"encoding/base64"
	"testing"

	"github.com/imgprep/imgprep/upload/uploadtest"
)

// Tiny WebP files from libwebp's test data (BSD licence): lossy with an
// ALPH chunk (VP8X), lossy without alpha, and lossless with alpha.
const (
	webpAlphaLossy    = "UklGRmoAAABXRUJQVlA4WAoAAAAQAAAADwAADwAAQUxQSCMAAAAFFyAgSUPg8IqIWCCTttEwT2H+Ne2dgYj+E0zSVNsxRabbAQBWUDggIAAAAHABAJ0BKhAAEAAPwP4loAJ0AUAAAP7aJpV6vLkWwAAA"
	webpOpaqueLossy   = "UklGRv4AAABXRUJQVlA4IPIAAABwBACdASofAA0AAwcIhYWIhYSIk4ICdapWs828biZxx8veHhYjC0HEGlsn6AC4AAABAAABAAD+9f9APJ3vum1DQmAwKkUPGRyvzqddSAk/UQmyAbfHvPCoJAzrXXfmUhEXfT+O6HOc573edTotRXCjMR5j8Qs2cosD+V/w6w3pdcOF1of8xEbvMvBLuk6vga/+KajdAsyWQmgwXUDNtmrEpZQf6JeZd/ssPc/2h/N+usiTu7gCjAqol2Q/w3EJJTWu9Oa8VIlRdMZ2UKt72YubKZ6moUkSXv4cX8zv9zcQVKWUGFv3j7tBKfiKHcyAAAAAAA=="
	webpAlphaLossless = "UklGRioAAABXRUJQVlA4TB4AAAAvD8ADEBIhAeH/cdECff7n/4D/BJM01XYMJva6+w4="
)

func TestWebPInputs(t *testing.T) {
	t.Parallel()
	s := uploadtest.NewServer(t, uploadtest.Options{})
	f := newForm().field("model", "gpt-image-1").field("prompt", "p")
	for _, w := range []string{webpAlphaLossy, webpOpaqueLossy, webpAlphaLossless} {
		b, _ := base64.StdEncoding.DecodeString(w)
		f.file("image[]", "in.webp", "image/webp", b)
	}
	okForm(t, s, f)
	files := s.Edits()[0].Files
	want := []struct {
		w, h  int
		alpha bool
	}{{16, 16, true}, {31, 13, false}, {16, 16, true}}
	for i, fw := range want {
		got := files[i]
		if got.Format != "webp" || got.Width != fw.w || got.Height != fw.h || got.HasAlpha != fw.alpha {
			t.Errorf("file %d recorded as %+v, want %dx%d alpha=%v", i, got, fw.w, fw.h, fw.alpha)
		}
	}
	b, _ := base64.StdEncoding.DecodeString(webpAlphaLossy)
	resp, body := postForm(t, s, newForm().field("model", "dall-e-2").field("prompt", "p").
		file("image", "in.webp", "image/webp", b))
	if resp.StatusCode != 400 || str(decodeErr(t, body).Error.Code) != "invalid_image_format" {
		t.Errorf("webp for dall-e-2: %d %s", resp.StatusCode, body)
	}
}
