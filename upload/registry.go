package upload

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// Uploader performs image edit calls. Implementations are safe for
// concurrent use.
type Uploader interface {
	Edit(ctx context.Context, req *Request) (*Response, error)
}

// Previewer is implemented by uploaders that can show the exact request
// they would send, without sending it (for --dry-run; print with
// DumpRequest).
type Previewer interface {
	Preview(ctx context.Context, req *Request) (*http.Request, []byte, error)
}

// EncodingReporter is implemented by uploaders that say which body
// encoding they send, so that a caller can Validate a request for it before
// anything is sent. The built-in drivers and async-task implement it.
type EncodingReporter interface {
	Encoding() Encoding
}

// Factory makes an Uploader from a Config.
type Factory func(Config) (Uploader, error)

// drivers are the registered uploaders, the built-in ones from the start.
var drivers = struct {
	sync.RWMutex
	m map[string]Factory
}{m: builtins()}

// Register makes an uploader available under name. It panics when f is
// nil, name is empty, or name is already registered, like
// database/sql.Register. Drivers call it from init.
func Register(name string, f Factory) {
	if f == nil {
		panic("upload: Register factory is nil")
	}
	if name == "" {
		panic("upload: Register with an empty name")
	}
	drivers.Lock()
	defer drivers.Unlock()
	if _, dup := drivers.m[name]; dup {
		panic("upload: Register called twice for uploader " + name)
	}
	drivers.m[name] = f
}

// Drivers returns the registered uploader names, sorted.
func Drivers() []string {
	drivers.RLock()
	defer drivers.RUnlock()
	names := make([]string, 0, len(drivers.m))
	for n := range drivers.m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Open returns the uploader registered under name (DefaultDriver when
// empty) made with cfg.
func Open(name string, cfg Config) (Uploader, error) {
	if name == "" {
		name = DefaultDriver
	}
	drivers.RLock()
	f, ok := drivers.m[name]
	drivers.RUnlock()
	if !ok {
		known := strings.Join(Drivers(), ", ")
		if known == "" {
			known = "none"
		}
		return nil, fmt.Errorf("upload: unknown uploader %q (forgotten import?); registered: %s", name, known)
	}
	return f(cfg)
}
