// Package upload performs image edit calls against OpenAI-compatible APIs.
//
// It defines the Uploader interface, a registry of drivers by name (like
// database/sql), the Request and Response types, typed API errors with
// category sentinels for errors.Is, and the shared machinery every driver
// uses: request validation against a model profile, multipart and JSON body
// builders, a Client that sends with retries, response and SSE parsing, and
// result downloads.
//
// Drivers live in their own packages and register themselves in init:
//
//	import _ "github.com/imgprep/imgprep/upload/multipart" // "openai-multipart"
//	import _ "github.com/imgprep/imgprep/upload/jsonbody"  // "openai-json", "relay-json"
//	import _ "github.com/imgprep/imgprep/upload/async"     // "async-task"
//	import _ "github.com/imgprep/imgprep/upload/stream"    // "openai-stream"
//
// The API key never appears in an error, a Config printed with fmt, or a
// DumpRequest output. The package does not log and does not read the
// environment.
package upload
