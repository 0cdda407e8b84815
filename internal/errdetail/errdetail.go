// Package errdetail reads an error's message without its package prefix.
//
// The module's typed errors print as "pkg: detail" (codecs, mask,
// pipeline, finish, upload) and also offer Detail(), the message without
// "pkg: ", for a caller that states the context itself: a wrapping error
// of another package, or the CLI naming the file. Nothing here cuts text:
// an error either gives its detail or is used whole.
package errdetail

// Detailer is an error that can state its message without its package
// prefix.
type Detailer interface {
	error
	Detail() string
}

// Of returns err's Detail when err itself is a Detailer, else err.Error().
// A wrapped cause is not looked for: a wrapper's message holds context of
// its own that the cause's detail would drop.
func Of(err error) string {
	if d, ok := err.(Detailer); ok {
		return d.Detail()
	}
	return err.Error()
}
