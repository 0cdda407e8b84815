module github.com/imgprep/imgprep

go 1.26.8

require (
	github.com/HugoSmits86/nativewebp v1.3.0 // indirect
	github.com/caarlos0/env/v11 v11.4.2 // indirect
	github.com/chai2010/webp v1.4.0 // indirect
	github.com/coder/websocket v1.8.15 // indirect
	github.com/disintegration/imaging v1.6.2 // indirect
	github.com/klauspost/compress v1.20.3 // indirect
	github.com/openai/openai-go/v3 v3.98.0 // indirect
	github.com/sashabaranov/go-openai v1.43.0 // indirect
	github.com/tidwall/gjson v1.20.0 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.1 // indirect
	github.com/tidwall/sjson v1.2.5 // indirect
	golang.org/x/image v0.47.0 // indirect
)
