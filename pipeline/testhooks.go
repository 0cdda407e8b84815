package pipeline

import "sync/atomic"

// testHooks are what this package's tests set on Options to steer and
// observe a preparation; production code leaves Options.test nil, for
// which the methods below do nothing.
type testHooks struct {
	// noStream turns streaming off: decode first, then render (the
	// reference the streamed render is compared with).
	noStream bool
	// earlyUsed counts the outputs taken from an encoding that ran
	// alongside the render.
	earlyUsed atomic.Int64
}

// streamOff reports whether a test turned streaming off.
func (h *testHooks) streamOff() bool { return h != nil && h.noStream }

// usedEarly counts an output taken from the encoding that ran alongside
// the render.
func (h *testHooks) usedEarly() {
	if h != nil {
		h.earlyUsed.Add(1)
	}
}
