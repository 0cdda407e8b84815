// Package model is imgprep's one home for model knowledge: each image edit
// model's input limits (formats, bytes, pixels, square sides, alpha, mask)
// and its request schema (parameters and their values, prompt length, n,
// size rules, JSON body support), as data.
//
// Built-in profiles cover the official OpenAI image models and the FLUX.1
// Kontext models that relays sell; each fact names its source. Lookups
// return copies, so a caller may change what it gets without changing it
// for anyone else. Profiles are added in Go with [Register] or [Set], or
// without recompiling from a JSON file with [Load], whose format is the one
// [Encode] writes (and `imgprep models --json` prints):
//
//	[
//	  {"name": "gpt-image-1-vip", "like": "gpt-image-1"},
//	  {"name": "my-relay-flux", "like": "flux-kontext-pro", "max_bytes": 10000000}
//	]
//
// An entry with "like" starts from a copy of that profile (built in, or
// defined earlier in the file) and overrides the fields it gives; an entry
// without "like" gives every field itself. An entry whose name is already
// known replaces that profile.
package model
