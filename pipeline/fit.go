package pipeline

import (
	"image"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/internal/codecstream"
)

// encodeToFit encodes img per the plan and reports whether it fits the
// budget. PNG tries fast compression, then the best; lossy formats lower
// the quality by how far over budget the last try was, down to MinQuality.
// When nothing fits, ok is false and the caller steps the size down.
func (j *job) encodeToFit(img image.Image) (data []byte, ok bool, err error) {
	pl := j.plan
	opts := j.encodeOptions()
	switch {
	case pl.Format == codecs.PNG:
		for _, level := range []int{0, 3} {
			opts.PNGLevel = level
			if data, err = codecs.EncodeBytes(img, opts); err != nil || int64(len(data)) <= pl.Budget {
				return data, err == nil, err
			}
			if err = j.ctx.Err(); err != nil {
				return nil, false, err
			}
		}
		return nil, false, nil
	case pl.Format == codecs.WebP && pl.Lossless:
		data, err = codecs.EncodeBytes(img, opts)
		return data, err == nil && int64(len(data)) <= pl.Budget, err
	}
	q := opts.Quality
	for {
		opts.Quality = q
		if data, err = codecs.EncodeBytes(img, opts); err != nil {
			return nil, false, err
		}
		if int64(len(data)) <= pl.Budget {
			if q != pl.Quality {
				j.warn("quality lowered from %d to %d to fit %d bytes", pl.Quality, q, pl.Budget)
				pl.Quality = q
			}
			return data, true, nil
		}
		if q <= MinQuality {
			return nil, false, nil
		}
		if err = j.ctx.Err(); err != nil {
			return nil, false, err
		}
		q = max(MinQuality, int(float64(q)*qualityFactor(float64(len(data))/float64(pl.Budget))))
	}
}

// encodeOptions are the plan's first try. The canvas is the job's own and
// nothing else reads it while it is encoded (ScratchPixels).
func (j *job) encodeOptions() codecs.EncodeOptions {
	pl := j.plan
	return codecs.EncodeOptions{Format: pl.Format, Quality: pl.Quality, Lossless: pl.Lossless, KeepAlpha: pl.Alpha,
		ScratchPixels: true}
}

// finishEarly completes an encoding of the canvas at the plan's first try
// that ran while the canvas was rendered (nil: none), and reports whether
// it fits the budget; when not, encodeToFit goes on from scratch.
func (j *job) finishEarly(s *codecstream.JPEGEncoder) (data []byte, ok bool, err error) {
	if s == nil {
		return nil, false, nil
	}
	if data, err = s.Bytes(); err != nil {
		return nil, false, err
	}
	if int64(len(data)) > j.plan.Budget {
		return nil, false, nil
	}
	j.o.test.usedEarly()
	return data, true, nil
}

// qualityFactor is how much to lower the quality when the output is delta
// times the budget (as imgproxy's save_fit_bytes does).
func qualityFactor(delta float64) float64 {
	switch {
	case delta > 3:
		return 0.25
	case delta > 1.5:
		return 0.5
	}
	return 0.75
}
