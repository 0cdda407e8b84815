// Package wasm configures the WebAssembly runtime that the codecs built
// from C libraries share: codecs/heic (libheif, libde265), codecs/avif
// (libavif, libaom) and, in CGO_ENABLED=0 builds, lossy WebP encoding in
// codecs (libwebp). They run in one wazero runtime per process; each
// module is compiled once, on first use (libheif: about a second on a
// 2-core machine, libavif half that), and every decode or encode gets a
// fresh instance, so that no memory outlives it.
package wasm

import "github.com/imgprep/imgprep/internal/wasmrt"

// SetCacheDir keeps the compiled modules in dir between processes, so that
// a process that finds them there skips the compilation (about 40 ms
// instead of a second for libheif). It must be called before the first
// HEIC, AVIF or (without cgo) lossy WebP operation; "" (the default) keeps
// compiled code in memory only. The directory is created with mode 0700:
// it holds native code that the process will run, so it must not be
// writable by others. The imgprep CLI uses os.UserCacheDir()/imgprep/wasm.
func SetCacheDir(dir string) error { return wasmrt.SetCacheDir(dir) }
