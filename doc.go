// Package imgprep prepares images for OpenAI-compatible image edit APIs
// (POST /v1/images/edits), sends them and post-processes the results.
//
// There are three ways in, one flow behind them (prepare every image for
// the model, take the mask through the first image's plan, validate, send,
// map the results back):
//
//   - Edit runs a whole edit as one call: a Job (model, prompt, images, an
//     optional MaskSpec, the API parameters, preparation and finishing
//     options, an uploader) in, a Result (the outputs, finished when asked,
//     the prepared inputs with their plans, the mask sent, usage, retries)
//     out. Prepare and Prepared.Send split it in two, for a dry run
//     (Prepared.Dump) or for work between preparing and sending.
//   - NewTransport is an http.RoundTripper (Middleware for openai-go's
//     option.WithMiddleware) that fixes the edit requests an SDK already
//     builds, in flight: any Go client keeps its own API and gets its
//     images prepared.
//   - The proxy, 'imgprep proxy', serves that transport over HTTP, so that
//     a client in any language points its base URL at it.
//
// For many independent edits, Batch runs jobs on bounded workers that share
// one rate Governor: a 429 or Retry-After pauses every worker and halves the
// requests in flight, which grow back one at a time while requests succeed
// (additive increase, multiplicative decrease), so a batch backs off
// together instead of colliding. 'imgprep edit --each' and '--manifest' run
// on it.
//
// The library reads no environment and does not log: configuration comes
// in through the Job and the options, problems go out as typed errors, and
// warnings as strings in the results.
package imgprep
