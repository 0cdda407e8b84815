package heif

import "errors"

// AV1Config is what the probe reads from an av1C box (AV1 codec ISO media
// file format binding, 2.3).
type AV1Config struct {
	Profile  int
	BitDepth int
	Mono     bool
	// SubX, SubY: chroma subsampling (both 1 for 4:2:0).
	SubX, SubY int
}

// ParseAV1Config reads an av1C payload's fixed fields.
func ParseAV1Config(b []byte) (AV1Config, error) {
	if len(b) < 4 {
		return AV1Config{}, errors.New("heif: av1C box too short")
	}
	if b[0] != 0x81 {
		return AV1Config{}, errors.New("heif: av1C marker or version is not 1")
	}
	c := AV1Config{Profile: int(b[1] >> 5), BitDepth: 8}
	high, twelve := b[2]&0x40 != 0, b[2]&0x20 != 0
	switch {
	case high && twelve && c.Profile == 2:
		c.BitDepth = 12
	case high:
		c.BitDepth = 10
	}
	c.Mono = b[2]&0x10 != 0
	c.SubX, c.SubY = int(b[2]>>3&1), int(b[2]>>2&1)
	return c, nil
}
