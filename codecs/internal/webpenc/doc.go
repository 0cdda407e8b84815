// Package webpenc calls libwebp's advanced encoding API (WebPConfig,
// WebPPicture, WebPEncode) for the settings the simple API fixes: method,
// multi-threading, lossless effort, filter and segments. It needs cgo; the
// libwebp 1.4.0 code is the one github.com/chai2010/webp compiles into the
// binary (this package declares it with a copy of libwebp's encode.h and
// types.h, under include/webp, BSD-3-Clause, Google Inc.).
package webpenc
