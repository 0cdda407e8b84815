package codecs

// Detail returns the message without the "codecs: " prefix, "<format>:
// <kind>: <reason>", for a caller that states the context itself (a mask
// or pipeline error wrapping it, the CLI naming the file). Error is
// "codecs: " + Detail (errors.go still writes it out; it can call Detail
// once that file is free to change).
func (e *FormatError) Detail() string {
	msg := e.Kind.Error()
	if e.Format != Unknown {
		msg = string(e.Format) + ": " + msg
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}
