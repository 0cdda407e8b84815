// Command heiftool makes HEIF test files that the encoders cannot:
//
//	heiftool grid -rows R -cols C -size WxH -o OUT TILE...
//	    a grid of single-image files (encoded separately, all the same
//	    size), cut to WxH: the layout cameras write.
//	heiftool props -o OUT [-irot N] [-imir A] [-clap WxH+DX+DY] IN
//	    the primary image of IN with irot, imir and clap added (in that
//	    order), other items dropped.
//
// The format (HEIC or AVIF) is the input's. scripts/make-heif-fixtures.sh
// and scripts/bench.sh use it.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/heif"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: heiftool grid|props ...")
	}
	switch os.Args[1] {
	case "grid":
		grid(os.Args[2:])
	case "props":
		props(os.Args[2:])
	default:
		fail("unknown command " + os.Args[1])
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "heiftool:", msg)
	os.Exit(2)
}

func grid(args []string) {
	fs := flag.NewFlagSet("grid", flag.ExitOnError)
	rows := fs.Int("rows", 1, "tile rows")
	cols := fs.Int("cols", 1, "tile columns")
	size := fs.String("size", "", "output WxH")
	out := fs.String("o", "", "output file")
	fs.Parse(args)
	var w, h int
	if _, err := fmt.Sscanf(*size, "%dx%d", &w, &h); err != nil || *out == "" || fs.NArg() != *rows**cols {
		fail("grid: need -size WxH, -o OUT and rows*cols tiles")
	}
	var tiles []heif.Tile
	var format codecs.Format
	for _, p := range fs.Args() {
		b, err := os.ReadFile(p)
		if err != nil {
			fail(err.Error())
		}
		format = codecs.Sniff(b)
		t, err := heif.CodedItem(b, format)
		if err != nil {
			fail(p + ": " + err.Error())
		}
		tiles = append(tiles, t)
	}
	if err := os.WriteFile(*out, heif.AssembleGrid(format, *rows, *cols, w, h, tiles), 0o644); err != nil {
		fail(err.Error())
	}
}

func props(args []string) {
	fs := flag.NewFlagSet("props", flag.ExitOnError)
	irot := fs.Int("irot", -1, "anti-clockwise quarter turns")
	imir := fs.Int("imir", -1, "mirror axis: 0 top-bottom, 1 left-right")
	clap := fs.String("clap", "", "clean aperture WxH+DX+DY (offsets of the centre)")
	out := fs.String("o", "", "output file")
	fs.Parse(args)
	if fs.NArg() != 1 || *out == "" {
		fail("props: need -o OUT and one input")
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fail(err.Error())
	}
	var extra []heif.Property
	if *clap != "" {
		var w, h, dx, dy int
		if _, err := fmt.Sscanf(*clap, "%dx%d+%d+%d", &w, &h, &dx, &dy); err != nil {
			fail("props: -clap WxH+DX+DY")
		}
		extra = append(extra, heif.CLAP(w, h, dx, dy))
	}
	if *irot >= 0 {
		extra = append(extra, heif.IROT(*irot))
	}
	if *imir >= 0 {
		extra = append(extra, heif.IMIR(*imir))
	}
	res, err := heif.WithProps(b, codecs.Sniff(b), extra...)
	if err != nil {
		fail(err.Error())
	}
	if err := os.WriteFile(*out, res, 0o644); err != nil {
		fail(err.Error())
	}
}
