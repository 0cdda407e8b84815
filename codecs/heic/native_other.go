//go:build !((linux || darwin || freebsd) && !nodynamic)

package heic

type libheif struct{ version string }

func openLibheif() *libheif { return nil }

func (*libheif) decode([]byte, int, func(*planes) error) error { return errDecode }
