// Package driver is the kit for writing upload drivers, the way
// gocloud.dev/blob/driver serves blob's: package upload holds what users
// call (Uploader, Open, Request, Response, errors), this package what a
// driver is built from.
//
// A driver registers a factory with upload.Register and usually builds on
// a Client: NewClient(cfg) gives the engine the built-in drivers run on, so
// that every driver sends, retries, times out, redacts and maps errors the
// same way. Client.Edit is the whole common edit flow (validate, encode,
// POST with retries, parse, download url results, or read the SSE stream);
// a driver with behaviour of its own (see upload/async) composes it from
// EditCall, Do, DoStream, Result, Stream and the body builders.
//
// A driver's own settings travel in upload.Config.Options as a struct type
// the driver documents (async.Options, say); Option finds them, so the
// common Config carries no driver's knobs.
//
// Drivers implement upload.Uploader, and optionally upload.Previewer (for
// dry runs) and upload.EncodingReporter.
package driver
