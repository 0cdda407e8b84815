// Package wasmrt runs the WASM codecs (libheif/libde265, libavif/libaom,
// libwebp as built by gen2brain) in one shared wazero runtime: each module
// is compiled once per process, on first use, and optionally kept compiled
// on disk between processes (SetCacheDir); every decode or encode gets a
// fresh instance, so that no memory outlives it.
package wasmrt

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

var (
	mu       sync.Mutex
	cacheDir string
	rt       wazero.Runtime
	rtErr    error
	started  bool
)

// SetCacheDir makes the runtime keep compiled modules in dir (created if
// needed, mode 0700) so that later processes skip the compilation, which
// costs about a second for libheif. It must be called before the first
// module is used; "" keeps the compiled code in memory only (the default).
func SetCacheDir(dir string) error {
	mu.Lock()
	defer mu.Unlock()
	if started {
		return errors.New("wasmrt: the runtime has already started; set the cache directory first")
	}
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("wasmrt: cache directory: %w", err)
		}
	}
	cacheDir = dir
	return nil
}

// runtime returns the process's runtime, creating it on first use.
func runtime() (wazero.Runtime, error) {
	mu.Lock()
	defer mu.Unlock()
	if started {
		return rt, rtErr
	}
	started = true
	ctx := context.Background()
	cfg := wazero.NewRuntimeConfig()
	if cacheDir != "" {
		c, err := wazero.NewCompilationCacheWithDir(cacheDir)
		if err == nil {
			cfg = cfg.WithCompilationCache(c)
		}
		// An unusable cache directory costs only the compile time.
	}
	rt = wazero.NewRuntimeWithConfig(ctx, cfg)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
		rtErr = fmt.Errorf("wasmrt: wasi: %w", err)
	}
	return rt, rtErr
}

// Module is one WASM module, compiled on first use.
type Module struct {
	name    string
	gz      func() []byte // the gzip-compressed module
	exports []string      // functions the glue calls: checked at compile time

	once    sync.Once
	cm      wazero.CompiledModule
	err     error
	compile time.Duration
}

// NewModule describes a module whose gzip-compressed bytes gz returns.
// The module must export malloc, free and the named functions.
func NewModule(name string, gz func() []byte, exports ...string) *Module {
	return &Module{name: name, gz: gz, exports: append([]string{"malloc", "free"}, exports...)}
}

// Stats says how long the compilation took (0 before it ran); with a warm
// disk cache it is the time to load the compiled code.
func (m *Module) Stats() (compiled bool, took time.Duration) {
	return m.cm != nil, m.compile
}

func (m *Module) compiled() (wazero.CompiledModule, error) {
	m.once.Do(func() {
		start := time.Now()
		r, err := runtime()
		if err != nil {
			m.err = err
			return
		}
		zr, err := gzip.NewReader(bytes.NewReader(m.gz()))
		if err != nil {
			m.err = fmt.Errorf("wasmrt: %s: %w", m.name, err)
			return
		}
		wasm, err := io.ReadAll(zr)
		if err != nil {
			m.err = fmt.Errorf("wasmrt: %s: %w", m.name, err)
			return
		}
		cm, err := r.CompileModule(context.Background(), wasm)
		if err != nil {
			m.err = fmt.Errorf("wasmrt: %s: %w", m.name, err)
			return
		}
		fns := cm.ExportedFunctions()
		for _, e := range m.exports {
			if _, ok := fns[e]; !ok {
				m.err = fmt.Errorf("wasmrt: %s exports no %s function", m.name, e)
				return
			}
		}
		m.cm, m.compile = cm, time.Since(start)
	})
	return m.cm, m.err
}

// Warm compiles the module now (for instance in a goroutine while the
// first file is read), so that the first decode does not wait for it.
func (m *Module) Warm() error {
	_, err := m.compiled()
	return err
}

// Instance is one instantiation of a module, for one goroutine.
type Instance struct {
	mod          api.Module
	malloc, free api.Function
	ctx          context.Context
}

// Instantiate makes a fresh instance (about 0.2 ms).
func (m *Module) Instantiate() (*Instance, error) {
	cm, err := m.compiled()
	if err != nil {
		return nil, err
	}
	r, _ := runtime()
	ctx := context.Background()
	// Anonymous instances: many may live at once. stdout and stderr are
	// discarded (libheif prints warnings for some files).
	mod, err := r.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		return nil, fmt.Errorf("wasmrt: %s: %w", m.name, err)
	}
	return &Instance{mod: mod, malloc: mod.ExportedFunction("malloc"), free: mod.ExportedFunction("free"), ctx: ctx}, nil
}

// Close releases the instance and its memory.
func (in *Instance) Close() { in.mod.Close(in.ctx) }

// Alloc allocates n bytes in the instance's memory.
func (in *Instance) Alloc(n int) (uint32, error) {
	if n < 0 || n > 1<<31 {
		return 0, fmt.Errorf("wasmrt: allocation of %d bytes", n)
	}
	res, err := in.malloc.Call(in.ctx, uint64(n))
	if err != nil {
		return 0, err
	}
	if res[0] == 0 {
		return 0, fmt.Errorf("wasmrt: out of memory allocating %d bytes", n)
	}
	return uint32(res[0]), nil
}

// Free frees a pointer from Alloc.
func (in *Instance) Free(p uint32) { in.free.Call(in.ctx, uint64(p)) }

// Put allocates len(b) bytes and copies b there.
func (in *Instance) Put(b []byte) (uint32, error) {
	p, err := in.Alloc(len(b))
	if err != nil {
		return 0, err
	}
	if !in.mod.Memory().Write(p, b) {
		return 0, errors.New("wasmrt: write outside memory")
	}
	return p, nil
}

// View returns n bytes at p, aliasing the instance's memory: valid until
// the next call into the instance or Close.
func (in *Instance) View(p uint32, n int) ([]byte, error) {
	b, ok := in.mod.Memory().Read(p, uint32(n))
	if !ok {
		return nil, errors.New("wasmrt: read outside memory")
	}
	return b, nil
}

// U32 reads a little-endian uint32 at p.
func (in *Instance) U32(p uint32) uint32 {
	v, _ := in.mod.Memory().ReadUint32Le(p)
	return v
}

// Call calls an exported function.
func (in *Instance) Call(fn string, args ...uint64) ([]uint64, error) {
	f := in.mod.ExportedFunction(fn)
	if f == nil {
		return nil, fmt.Errorf("wasmrt: no export %s", fn)
	}
	return f.Call(in.ctx, args...)
}
