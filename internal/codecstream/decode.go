package codecstream

import (
	"errors"
	"image"
	"sync"
	"sync/atomic"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/jpeg"
)

// ErrClosed is the error of a Stream whose decode was stopped by Close
// before it finished.
var ErrClosed = errors.New("codecstream: decode stream closed")

// errStale is what Stream.Rows returns once rows it reported final have
// changed (see Stream.Stale).
var errStale = errors.New("codecstream: decoded rows changed after they were reported final")

// Stream is a decode running in its own goroutine (Decode). Its methods
// may be called from any goroutine.
type Stream struct {
	img     image.Image // the image being filled (partial streams)
	partial bool

	rows    atomic.Int64 // rows [0, rows) of img are final
	wake    atomic.Int64 // a waiter wants rows [0, wake); 0: none
	stopped atomic.Bool  // Close was called

	mu      sync.Mutex
	cond    sync.Cond
	ended   bool // the decode has returned
	stale   bool
	final   image.Image
	err     error
	endedCh chan struct{}
}

// Decode is codecs.Decode in a goroutine of its own, returning as soon as
// the image is allocated when its rows are decoded in order: for a
// sequential (baseline or extended) Y'CbCr or grayscale JPEG coded in one
// scan, the usual camera and encoder output, at once; for a progressive
// one, when its last scan (the one that completes the coefficients, see
// jpeg.Progress) begins; and for a non-interlaced PNG of 8 bits or fewer
// per sample. Stream.Partial then reports
// true, Stream.Image is the image being filled and Stream.Rows waits for
// its rows, so that the caller can process the top of the image while the
// bottom is decoded; info is the header's (codecs.Probe's, which is
// codecs.Decode's for a JPEG or PNG), and the errors of the decode come from
// Stream.Wait and Stream.Rows. For every other input (other JPEGs,
// 16-bit or interlaced PNGs, other formats) Decode returns when the decode has finished, with
// codecs.Decode's info and error.
//
// Stream.Wait returns exactly what codecs.Decode would. The goroutine ends
// when the decode does, whether or not Wait is called; Close stops it
// early.
func Decode(b []byte, opts codecs.DecodeOptions) (*Stream, codecs.Info, error) {
	s := &Stream{endedCh: make(chan struct{})}
	s.cond.L = &s.mu
	started := make(chan struct{})
	var once sync.Once
	begin := func() { once.Do(func() { close(started) }) }
	opts.JPEGProgress = &jpeg.Progress{
		Start: func(img image.Image) {
			s.img, s.partial = img, true // read after started is closed
			begin()
		},
		Rows: func(n int) error {
			if s.stopped.Load() {
				return ErrClosed
			}
			s.rows.Store(int64(n))
			// Waiters set wake before they look at rows (see Rows).
			if w := s.wake.Load(); w > 0 && int64(n) >= w {
				s.mu.Lock()
				s.wake.Store(0)
				s.cond.Broadcast()
				s.mu.Unlock()
			}
			return nil
		},
		Stale: func() {
			s.mu.Lock()
			s.stale = true
			s.cond.Broadcast()
			s.mu.Unlock()
		},
	}
	opts.PNGProgress = opts.JPEGProgress // the same hooks for a PNG's rows

	var decoded codecs.Info // codecs.Decode's, read once the decode has ended
	go func() {
		img, info, err := codecs.Decode(b, opts)
		if err != nil && (errors.Is(err, ErrClosed) || s.stopped.Load()) {
			img, err = nil, ErrClosed
		}
		decoded = info
		s.mu.Lock()
		s.final, s.err, s.ended = img, err, true
		s.cond.Broadcast()
		s.mu.Unlock()
		close(s.endedCh)
		begin()
	}()
	<-started
	if s.partial {
		// codecs.Decode probed b before it started decoding, so this
		// cannot fail.
		info, _ := codecs.Probe(b)
		return s, info, nil
	}
	if _, err := s.Wait(); err != nil {
		return nil, decoded, err
	}
	return s, decoded, nil
}

// Partial reports whether the decode was still running when Decode
// returned, its rows arriving in order (see Rows).
func (s *Stream) Partial() bool { return s.partial }

// Image returns the image being decoded when Partial, with bounds starting
// at (0, 0): only its rows that Rows reported final may be read until Wait
// returns. It returns nil otherwise.
func (s *Stream) Image() image.Image { return s.img }

// rowsSlack is how many rows beyond the ones it asked for Rows waits for
// when it has to block, so that a consumer faster than the decoder is
// woken once per batch of rows rather than for every row of MCUs.
const rowsSlack = 32

// Rows blocks until rows [0, y) of Image are final, and returns nil, or
// returns an error as soon as they will not be: the decode's error (as
// Wait's), ErrClosed, or, if rows reported final have changed (see
// Stale), an unexported error. When it has to block, it waits for a few
// more rows (up to 32) than asked, to wake its caller less often. For a
// stream that is not Partial it returns nil or the decode's error at once.
func (s *Stream) Rows(y int) error {
	if s.rows.Load() >= int64(y) {
		return nil
	}
	target := int64(y)
	if s.partial {
		target = int64(min(y+rowsSlack, max(y, s.img.Bounds().Max.Y)))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		// Announce the wait before looking at rows: the decoder stores
		// rows before it looks at wake (both sequentially consistent), so
		// either it sees the waiter or the waiter sees its rows.
		if w := s.wake.Load(); w == 0 || target < w {
			s.wake.Store(target)
		}
		switch {
		case s.stale:
			return errStale
		case s.rows.Load() >= target:
			return nil
		case s.ended:
			if s.err == nil || s.rows.Load() >= int64(y) {
				return nil
			}
			return s.err
		}
		s.cond.Wait()
	}
}

// Wait waits for the decode to end and returns codecs.Decode's result:
// the image (for a Partial stream, Image, unless Stale) and the error, or
// ErrClosed if Close stopped it.
func (s *Stream) Wait() (image.Image, error) {
	<-s.endedCh
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.final, s.err
}

// Stale reports, once Wait has returned, whether rows that Rows reported
// final changed afterwards, or the result is not Image: possible only
// with a corrupt or unusual file (a second scan over the same pixels, a
// colour-model marker after the scan). Anything computed from the rows
// must then be computed again from Wait's image.
func (s *Stream) Stale() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stale
}

// Close stops the decode if it is still running, and waits for its
// goroutine to end. Wait then returns ErrClosed, unless the decode
// had already ended. Close may be called more than once.
func (s *Stream) Close() {
	s.stopped.Store(true)
	<-s.endedCh
}
