// Package upload performs image edit calls against OpenAI-compatible APIs.
//
// It defines the Uploader interface, a registry of drivers by name (like
// database/sql), the Request and Response types, typed API errors with
// category sentinels for errors.Is, and the shared machinery every driver
// uses: request validation against a model profile, multipart and JSON body
// builders, a Client that sends with retries, response and SSE parsing, and
// result downloads.
//
// The built-in drivers, one per encoding preset, need no import:
// "openai-multipart" (the default), "openai-json", "relay-json" and
// "openai-stream" (see MultipartDriver and the constants beside it).
// Drivers with behaviour of their own live in their own packages and
// register themselves in init:
//
//	import _ "github.com/imgprep/imgprep/upload/async" // "async-task"
//
// The API key never appears in an error, a Config printed with fmt, or a
// DumpRequest output. The package does not log and does not read the
// environment.
package upload
