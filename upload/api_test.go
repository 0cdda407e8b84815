package upload_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strings"
	"testing"
)

// userAPI is every exported name of package upload. It is the user API;
// the driver author's kit lives in upload/driver. A name joins this list
// only if users call it.
var userAPI = []string{
	"APIError", "APIError.Detail", "APIError.Error", "APIError.Is", "Config", "Config.GoString", "Config.String",
	"Config.Validate", "Config.WithDefaults", "DefaultBaseDelay", "DefaultBaseURL", "DefaultDownloadTimeout",
	"DefaultDriver", "DefaultMaxDelay", "DefaultMaxDownloadBytes", "DefaultMaxResponseBytes",
	"DefaultMaxRetries", "DefaultMaxRetryAfter", "DefaultTimeout", "DownloadError", "DownloadError.Detail",
	"DownloadError.Error", "DownloadError.Unwrap", "Drivers", "DumpRequest", "Encoding",
	"Encoding.String", "EncodingReporter", "ErrAuth", "ErrBadRequest", "ErrDownload", "ErrInvalidRequest",
	"ErrMalformedResponse", "ErrModeration", "ErrNetwork", "ErrNoImage", "ErrRateLimit", "ErrServer",
	"ErrTaskFailed", "ErrTimeout", "Factory", "File", "File.Format", "File.Normalized", "Image", "JSON",
	"JSONDriver", "Jitter", "JitterEqual", "JitterFull", "JitterNone", "MaxDataURLBytes", "Multipart",
	"MultipartDriver", "MultipartOptions", "Open", "ParamError", "ParamError.Detail", "ParamError.Error", "ParamError.Unwrap",
	"PartialImage", "Previewer", "Redact", "Register", "RelayJSON", "RelayJSONDriver", "Request",
	"Request.Validate", "Response", "RetryEvent", "RetryPolicy", "RetryPolicy.Backoff", "StreamDriver",
	"Uploader", "Usage",
}

// TestUserAPIOnly: go doc ./upload shows the user API and nothing else.
func TestUserAPIOnly(t *testing.T) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, e := range entries {
		if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			f, err := parser.ParseFile(fset, n, nil, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
	}
	p, err := doc.NewFromFiles(fset, files, "github.com/imgprep/imgprep/upload")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	values := func(vs []*doc.Value) {
		for _, v := range vs {
			got = append(got, v.Names...)
		}
	}
	funcs := func(prefix string, fs []*doc.Func) {
		for _, f := range fs {
			got = append(got, prefix+f.Name)
		}
	}
	values(p.Consts)
	values(p.Vars)
	funcs("", p.Funcs)
	for _, ty := range p.Types {
		got = append(got, ty.Name)
		values(ty.Consts)
		values(ty.Vars)
		funcs("", ty.Funcs)
		funcs(ty.Name+".", ty.Methods)
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(userAPI))
	if !slices.Equal(got, want) {
		t.Errorf("exported names of upload:\n got %q\nwant %q", got, want)
	}
}
