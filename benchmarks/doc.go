// Package benchmarks holds imgprep's benchmarks and performance guards; it
// has no API.
//
// The Go benchmarks (go test -run '^$' -bench . ./benchmarks) measure each
// stage (probe, decode, orient, resize, square, encode) and the whole
// prepare path per model and input kind, named for benchstat, e.g.
// BenchmarkPrepare/model=dall-e-2/in=jpeg-12mp. Real photos come from
// ../shared/bench-photos (those benchmarks skip when it is absent); small
// generated fixtures in testdata/bench (go test ./benchmarks -run
// Fixtures -update) keep the rest running anywhere.
//
// The quality tests compare the fast path with a slow reference (image/jpeg
// full decode, imaging Lanczos) by PSNR; they skip in -short mode.
//
// The harness, go run ./benchmarks/cmd/imgprep-bench, times whole
// processes of imgprep, libvips and ImageMagick side by side; see
// README.md and scripts/bench.sh.
package benchmarks
