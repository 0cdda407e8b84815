module github.com/imgprep/imgprep

go 1.26.8

require (
	github.com/HugoSmits86/nativewebp v1.3.0 // indirect
	github.com/caarlos0/env/v11 v11.4.2 // indirect
	github.com/chai2010/webp v1.4.0 // indirect
	github.com/disintegration/imaging v1.6.2 // indirect
	github.com/klauspost/compress v1.20.3 // indirect
	golang.org/x/image v0.47.0 // indirect
)
