package driver

import (
	"github.com/imgprep/imgprep/upload"
	"github.com/imgprep/imgprep/upload/internal/wire"
)

// Option returns the driver-specific settings of type T in cfg.Options:
// the last value of type T there (a non-nil *T counts as its value), and
// whether there was one. A driver documents its options type and reads it
// with Option in its factory.
func Option[T any](cfg upload.Config) (T, bool) { return wire.Option[T](cfg.Options) }
