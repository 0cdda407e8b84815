package wire

// Option returns the last value of type T in opts (a non-nil *T counts as
// its value), and whether there was one.
func Option[T any](opts []any) (T, bool) {
	var (
		v     T
		found bool
	)
	for _, o := range opts {
		switch o := o.(type) {
		case T:
			v, found = o, true
		case *T:
			if o != nil {
				v, found = *o, true
			}
		}
	}
	return v, found
}
