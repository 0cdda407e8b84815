// Package uploadtest is a fake OpenAI-compatible image edit server for tests
// and offline use.
//
// It validates POST {base}/images/edits the way the real API does, with its
// own implementation (standard library decoders, pipeline model profiles):
// bearer auth, multipart or JSON bodies, the model's input formats, byte and
// pixel limits, square/alpha rules for dall-e-2, mask format, alpha and
// dimensions, per-model parameters and their allowed values. Every failure is
// an HTTP status plus {"error":{"message","type","param","code"}}; the API key
// is never echoed or stored.
//
// A valid request gets a deterministic edit instead of a generated image:
// the edit area (the mask's fully transparent pixels, or without a mask the
// image's own fully transparent pixels) is filled with opaque magenta
// (#FF00FF); pixels outside it are kept when a mask was sent and inverted
// (colour channels only) when not. The result is resized to the requested
// or default size and returned n times, as b64_json, a URL served by the same
// server, an async task to poll, or an SSE stream.
//
// Faults (429 with Retry-After, 5xx, slow responses, truncated bodies,
// malformed JSON, connection resets) are queued with Inject or requested per
// request with the X-Fake-Fault header. Options.MaxInFlight makes it a
// rate-limited relay (429 with Retry-After above a concurrency cap) and
// Options.FailEvery adds a periodic 5xx; PeakInFlight and
// RecordedRequest.Status tell a test what the clients did and got.
//
// Routes, relative to the server root (Server.URL is root + "/v1"):
//
//	POST /v1/images/edits      the edit endpoint (?async=true for a task)
//	GET  /v1/tasks/{id}        poll an async task
//	GET  /files/{id}.{ext}     download a URL-mode result (no auth, like signed URLs)
//
// Behaviour worth knowing when writing tests against it:
//
//   - A request without model gets the API's default, gpt-image-1.5.
//   - dall-e-2 answers with URLs unless response_format=b64_json, as the
//     real API does; Options.URLResults makes every model answer with URLs.
//   - Multipart file parts need a Content-Type of image/png, image/jpeg or
//     image/webp that matches the bytes, and a file name with a matching
//     extension (.png, .jpg/.jpeg, .webp).
//   - A repeated text field counts with its first value.
//   - Async (?async=true or Options.AsyncByDefault) wins over stream=true.
//   - A queued or header fault wins over auth and validation: the request
//     is read and recorded, then the fault answers.
//   - dall-e-2 inputs may be any square; Options.StrictSquareSides also
//     requires 256, 512 or 1024.
//
// Deliberate simplifications: webp output is encoded as PNG and reported
// honestly as output_format "png"; JSON image references must be data: URLs
// or raw base64 (no http URLs, no file_id); the whole request body is capped
// by Options.MaxBodyBytes (64 MiB by default), below the real API's 16 x 50
// MB; inputs above 50 megapixels are refused for every model.
package uploadtest
