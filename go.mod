module github.com/imgprep/imgprep

go 1.26.8

require (
	// nativewebp: keep v1.3.0 explicit (a plain go get may resolve an older version).
	github.com/HugoSmits86/nativewebp v1.3.0
	github.com/caarlos0/env/v11 v11.4.2
	github.com/chai2010/webp v1.4.0
	github.com/disintegration/imaging v1.6.2
	github.com/klauspost/compress v1.20.3
	// test only: the SDKs the transport is proven against (sdk_test.go)
	github.com/openai/openai-go/v3 v3.98.0
	github.com/sashabaranov/go-openai v1.43.0
	// x/image: v0.45.0 or later (2026 security fixes); nativewebp alone asks only v0.24.0.
	golang.org/x/image v0.47.0
)

require (
	github.com/ebitengine/purego v0.8.3
	github.com/gen2brain/webp v0.5.5
	github.com/tetratelabs/wazero v1.9.0
)

require (
	github.com/coder/websocket v1.8.15 // indirect
	github.com/tidwall/gjson v1.20.0 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.1 // indirect
	github.com/tidwall/sjson v1.2.5 // indirect
)
