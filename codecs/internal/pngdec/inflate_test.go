package pngdec

import (
	"bytes"
	"compress/zlib"
	"io"
	"math/rand/v2"
	"testing"

	kzlib "github.com/klauspost/compress/zlib"
)

// ownInflate inflates z with the inflater, reporting failure.
func ownInflate(z []byte, limit int) ([]byte, bool) {
	f, ok := newInflater(z)
	if !ok {
		return nil, false
	}
	var out bytes.Buffer
	buf := make([]byte, 7919) // odd-sized reads
	for out.Len() <= limit {
		n, err := f.Read(buf)
		out.Write(buf[:n])
		if err == io.EOF {
			return out.Bytes(), true
		}
		if err != nil {
			return nil, false
		}
	}
	return nil, false
}

// stdInflate is compress/zlib's result, and whether the stream ends
// exactly at the end of z.
func stdInflate(z []byte, limit int) ([]byte, bool) {
	r := bytes.NewReader(z)
	zr, err := zlib.NewReader(r)
	if err != nil {
		return nil, false
	}
	out, err := io.ReadAll(io.LimitReader(zr, int64(limit)+1))
	if err != nil || len(out) > limit || r.Len() != 0 {
		return nil, false
	}
	return out, true
}

// inflateInputs are zlib streams of several kinds: stored, fixed and
// dynamic blocks, Huffman-only, long outputs (the buffer slides) and far
// distances.
func inflateInputs(t testing.TB) [][]byte {
	rng := rand.New(rand.NewPCG(11, 12))
	var datas [][]byte
	datas = append(datas, nil, []byte("a"), bytes.Repeat([]byte("ab"), 1000))
	random := make([]byte, 600_000)
	for i := range random {
		random[i] = byte(rng.UintN(256))
	}
	datas = append(datas, random[:1000], random)
	text := make([]byte, 0, 1<<20)
	for len(text) < 1<<20 {
		if rng.UintN(4) == 0 && len(text) > 40000 {
			o := len(text) - 1 - int(rng.UintN(32768))
			n := 3 + int(rng.UintN(300))
			for i := 0; i < n; i++ {
				text = append(text, text[o+i])
			}
		} else {
			text = append(text, byte('a'+rng.UintN(6)))
		}
	}
	datas = append(datas, text)
	var out [][]byte
	for _, d := range datas {
		for _, lvl := range []int{zlib.NoCompression, zlib.BestSpeed, 6, zlib.BestCompression, zlib.HuffmanOnly} {
			var b bytes.Buffer
			w, _ := zlib.NewWriterLevel(&b, lvl)
			w.Write(d)
			w.Close()
			out = append(out, b.Bytes())
			var k bytes.Buffer
			kw, _ := kzlib.NewWriterLevel(&k, lvl)
			kw.Write(d)
			kw.Close()
			out = append(out, k.Bytes())
		}
	}
	return out
}

func TestInflate(t *testing.T) {
	for i, z := range inflateInputs(t) {
		want, ok := stdInflate(z, 1<<22)
		if !ok {
			t.Fatalf("%d: compress/zlib failed", i)
		}
		got, ok := ownInflate(z, 1<<22)
		if !ok || !bytes.Equal(got, want) {
			t.Fatalf("%d: inflater: ok %v, %d bytes, want %d", i, ok, len(got), len(want))
		}
		// Damage: every prefix cut and a few flipped bytes must fail or
		// agree with compress/zlib.
		for _, cut := range []int{0, 1, 2, len(z) / 2, len(z) - 4, len(z) - 1} {
			if cut >= 0 && cut < len(z) {
				agree(t, z[:cut])
			}
		}
		for k := 0; k < 20 && len(z) > 0; k++ {
			c := append([]byte(nil), z...)
			c[(k*7919)%len(c)] ^= byte(1 << (k % 8))
			agree(t, c)
		}
		agree(t, append(append([]byte(nil), z...), 0))
	}
}

// agree fails t if the inflater accepts z and compress/zlib does not, or
// they give different bytes.
func agree(t testing.TB, z []byte) {
	got, ok := ownInflate(z, 1<<22)
	if !ok {
		return
	}
	want, wok := stdInflate(z, 1<<22)
	if !wok || !bytes.Equal(got, want) {
		t.Fatalf("inflater accepted a %d-byte stream compress/zlib rejects or reads differently (%v)", len(z), wok)
	}
}

func FuzzInflate(f *testing.F) {
	for _, z := range inflateInputs(f) {
		if len(z) < 4096 {
			f.Add(z)
		}
	}
	f.Fuzz(func(t *testing.T, z []byte) { agree(t, z) })
}
