package fastpng

import (
	"bytes"
	"encoding/binary"
	"hash/adler32"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/flate"
)

// minChunk is the smallest amount of raw scanline data worth compressing
// on its own goroutine; every chunk restarts deflate's 32 KiB history.
const minChunk = 256 << 10

var (
	flatePools [10]sync.Pool // *flate.Writer by level
	buffers    = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	scratch    sync.Pool // *rowScratch
)

// rowScratch holds compressRows' buffers.
type rowScratch struct {
	bufs  [2][]byte
	zero  []byte
	batch []byte
}

func getFlate(level int, w io.Writer) *flate.Writer {
	if fw, ok := flatePools[level].Get().(*flate.Writer); ok {
		fw.Reset(w)
		return fw
	}
	fw, _ := flate.NewWriter(w, level) // level is always valid here
	return fw
}

// writeZlib writes the filtered scanlines of r as one zlib stream.
func writeZlib(w io.Writer, r *rows, p params, parallel bool) error {
	hdr := []byte{0x78, 0x01}
	if p.flate >= 5 {
		hdr[1] = 0x5e
	}
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	raw := int64(r.h) * int64(r.rowBytes()+1)
	chunks := int(min(raw/minChunk, int64(4*runtime.GOMAXPROCS(0)), int64(r.h)))
	var sum uint32
	if !parallel || chunks < 2 || runtime.GOMAXPROCS(0) < 2 {
		a, _, err := compressRows(w, r, 0, r.h, p, true)
		if err != nil {
			return err
		}
		sum = a
	} else {
		var err error
		if sum, err = compressParallel(w, r, p, chunks); err != nil {
			return err
		}
	}
	var tail [4]byte
	binary.BigEndian.PutUint32(tail[:], sum)
	_, err := w.Write(tail[:])
	return err
}

// chunkResult is one concurrently compressed run of rows.
type chunkResult struct {
	buf   *bytes.Buffer
	adler uint32
	n     int64
	done  chan struct{}
}

// compressParallel deflates rows in chunks on up to GOMAXPROCS goroutines,
// each chunk ending with a sync flush (the last with the final block), and
// writes them in order; it returns the Adler-32 of all the raw data.
func compressParallel(w io.Writer, r *rows, p params, chunks int) (uint32, error) {
	res := make([]chunkResult, chunks)
	for i := range res {
		res[i].done = make(chan struct{})
	}
	var next atomic.Int32
	var failed atomic.Bool
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= chunks {
				return
			}
			c := &res[i]
			c.buf = buffers.Get().(*bytes.Buffer)
			c.buf.Reset()
			if !failed.Load() {
				c.adler, c.n, _ = compressRows(c.buf, r, i*r.h/chunks, (i+1)*r.h/chunks, p, i == chunks-1)
			}
			close(c.done)
		}
	}
	for range min(runtime.GOMAXPROCS(0), chunks) {
		go work()
	}
	var sum uint32 = 1
	var err error
	for i := range res {
		c := &res[i]
		<-c.done
		if err == nil {
			sum = adler32Combine(sum, c.adler, c.n)
			if _, err = w.Write(c.buf.Bytes()); err != nil {
				failed.Store(true)
			}
		}
		buffers.Put(c.buf)
		c.buf = nil
	}
	return sum, err
}

// batchSize is how much filtered data is gathered before a deflate Write.
const batchSize = 64 << 10

// compressRows filters rows [y0, y1) and deflates them to w, ending with the
// final block when last is set and with a sync flush otherwise. It returns
// the Adler-32 and length of the raw filtered data.
func compressRows(w io.Writer, r *rows, y0, y1 int, p params, last bool) (uint32, int64, error) {
	fw := getFlate(p.flate, w)
	defer flatePools[p.flate].Put(fw)
	ad := adler32.New()
	n := r.rowBytes()
	sc, _ := scratch.Get().(*rowScratch)
	if sc == nil {
		sc = new(rowScratch)
	}
	defer scratch.Put(sc)
	for i := range sc.bufs {
		sc.bufs[i] = grow(sc.bufs[i], n)
	}
	sc.zero = grow(sc.zero, n)
	clear(sc.zero)
	bufs, prev := sc.bufs, sc.zero
	if y0 > 0 {
		prev = r.row(y0-1, bufs[(y0-1)&1])
	}
	batch := grow(sc.batch, max(batchSize, 2*(n+1)))[:0]
	defer func() { sc.batch = batch }()
	var total int64
	flush := func() error {
		ad.Write(batch)
		total += int64(len(batch))
		_, err := fw.Write(batch)
		batch = batch[:0]
		return err
	}
	for y := y0; y < y1; y++ {
		cur := r.row(y, bufs[y&1])
		ft := p.filter
		if ft == filterAdaptive {
			ft = chooseFilter(cur, prev, r.bpp, p.sample)
		}
		batch = append(batch, byte(ft))
		batch = batch[:len(batch)+n]
		filterRow(batch[len(batch)-n:], cur, prev, r.bpp, ft)
		prev = cur
		if len(batch)+n+1 > cap(batch) {
			if err := flush(); err != nil {
				return 0, 0, err
			}
		}
	}
	if err := flush(); err != nil {
		return 0, 0, err
	}
	var err error
	if last {
		err = fw.Close()
	} else {
		err = fw.Flush()
	}
	return ad.Sum32(), total, err
}

func grow(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}
