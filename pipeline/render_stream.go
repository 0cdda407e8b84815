package pipeline

import (
	"errors"
	"image"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/codecstream"
)

// streamable reports whether the source may be rendered while it is
// decoded: a JPEG or PNG, which codecstream.Decode hands over row by row
// when it is a sequential JPEG, a progressive one during its last scan,
// or a non-interlaced 8-bit PNG (the others come back whole, and are
// rendered after).
func (j *job) streamable() bool {
	f := j.plan.Source.Format
	return (f == codecs.JPEG || f == codecs.PNG) && !j.o.test.streamOff()
}

// decodeRendering decodes the input with codecstream.Decode and, when its
// rows arrive in order, renders the plan from them as they come: the
// resize of the top of the image runs on one core while the decoder, on
// the other, produces the bottom. When the resized image is the output
// JPEG's canvas as is, its rows are encoded on the resizing core as they
// are finished too. It returns the decoded image, the canvas, which is
// exactly render's (nil when the rows came whole, or changed after they
// were read, which only a corrupt file can do: the caller then renders
// from the image), and the canvas's encoding under way, or nil. Errors are
// codecs.Decode's, or the context's.
func (j *job) decodeRendering(opts codecs.DecodeOptions) (image.Image, image.Image, *codecstream.JPEGEncoder, error) {
	st, _, err := codecstream.Decode(j.in.Data, opts)
	if err != nil {
		// The decode ended before Decode returned; as after a render, a
		// cancelled context wins over its error.
		if cerr := j.ctx.Err(); cerr != nil {
			err = cerr
		}
		return nil, nil, nil, err
	}
	// Stops the decoder if the render ends early (an error, the context, a
	// panic) and waits for its goroutine.
	defer st.Close()
	var canvas image.Image
	var enc *codecstream.JPEGEncoder
	var rerr error
	if st.Partial() {
		ready := func(y int) error {
			if err := j.ctx.Err(); err != nil {
				return err
			}
			return st.Rows(y)
		}
		var rows func(image.Image, int)
		if j.plan.Format == codecs.JPEG {
			rows = func(c image.Image, n int) {
				if enc == nil && rerr == nil {
					enc, rerr = codecstream.NewJPEGEncoder(c, j.encodeOptions())
				}
				if enc != nil {
					enc.Advance(n)
				}
			}
		}
		canvas, err = renderWith(st.Image(), j.info, j.plan, j.o, ready, rows)
		rerr = errors.Join(rerr, err)
	}
	if err := j.ctx.Err(); err != nil {
		return nil, nil, nil, err
	}
	img, err := st.Wait()
	if err != nil {
		return nil, nil, nil, err
	}
	if rerr != nil || st.Stale() {
		canvas, enc = nil, nil
	}
	return img, canvas, enc, nil
}
