package codecs

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/draw"

	"golang.org/x/image/webp"
)

// decodeWebPFrame decodes the first frame of an animated WebP, which
// x/image/webp cannot read directly: the frame's ALPH and VP8/VP8L chunks
// are wrapped in a synthetic still WebP, decoded, and placed at the frame
// offset on a transparent canvas of the canvas size. Still images that
// x/image/webp would refuse over a metadata inconsistency go the same way.
func decodeWebPFrame(f webpFrame, info *Info) (image.Image, error) {
	var body bytes.Buffer
	id := "VP8 "
	if f.lossless {
		id = "VP8L"
	} else if f.alph != nil {
		var x [10]byte
		x[0] = vp8xAlpha
		put24(x[4:], f.w-1)
		put24(x[7:], f.h-1)
		riffChunkTo(&body, "VP8X", x[:])
		riffChunkTo(&body, "ALPH", f.alph)
	}
	riffChunkTo(&body, id, f.image)
	var file bytes.Buffer
	file.Grow(12 + body.Len())
	file.WriteString("RIFF")
	_ = binary.Write(&file, binary.LittleEndian, uint32(4+body.Len()))
	file.WriteString("WEBP")
	file.Write(body.Bytes())

	img, err := webp.Decode(&file)
	if err != nil {
		return nil, err
	}
	canvas := image.Rect(0, 0, info.Width, info.Height)
	at := image.Rect(f.x, f.y, f.x+f.w, f.y+f.h)
	if at == canvas {
		return img, nil
	}
	info.HasAlpha = true
	dst := image.NewNRGBA(canvas)
	draw.Draw(dst, at, img, img.Bounds().Min, draw.Src)
	return dst, nil
}

// riffChunkTo appends one RIFF chunk (with its pad byte) to buf.
func riffChunkTo(buf *bytes.Buffer, id string, data []byte) {
	buf.WriteString(id)
	_ = binary.Write(buf, binary.LittleEndian, uint32(len(data)))
	buf.Write(data)
	if len(data)&1 == 1 {
		buf.WriteByte(0)
	}
}

func put24(b []byte, v int) {
	b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16)
}
