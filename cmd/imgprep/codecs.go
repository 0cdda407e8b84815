package main

import (
	"os"
	"path/filepath"

	"github.com/imgprep/imgprep/codecs/avif" // registers the AVIF decoder
	"github.com/imgprep/imgprep/codecs/heic" // registers the HEIC decoder
	"github.com/imgprep/imgprep/codecs/wasm"
)

// setupCodecs configures the optional codecs from the environment:
//
//	IMGPREP_WASM_CACHE   where compiled WebAssembly modules are kept between
//	                     runs (default: the user cache directory's
//	                     imgprep/wasm; "off": none)
//	IMGPREP_SYSTEM_LIBHEIF  "off": decode HEIC and AVIF with their
//	                     WebAssembly builds (libheif, libavif) even when the
//	                     system has libheif.so.1
func setupCodecs(env *cliEnv) {
	if env.getenv("IMGPREP_SYSTEM_LIBHEIF") == "off" {
		heic.UseWASM()
		avif.UseWASM()
	}
	dir := env.getenv("IMGPREP_WASM_CACHE")
	if dir == "off" {
		return
	}
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return
		}
		dir = filepath.Join(base, "imgprep", "wasm")
	}
	// A cache that cannot be made only costs the compile time.
	_ = wasm.SetCacheDir(dir)
}
