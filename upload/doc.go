// Package upload performs image edit calls against OpenAI-compatible APIs.
//
// It defines the Uploader interface, a registry of drivers by name (like
// database/sql), the Request and Response types, request validation
// against a model profile before any byte is sent, the common Config with
// its retry policy, and typed API errors with category sentinels for
// errors.Is.
//
// The built-in drivers, one per encoding preset, need no import:
// "openai-multipart" (the default), "openai-json", "relay-json" and
// "openai-stream" (see MultipartDriver and the constants beside it).
// Drivers with behaviour of their own live in their own packages and
// register themselves in init:
//
//	import _ "github.com/imgprep/imgprep/upload/async" // "async-task"
//
// Writing a driver? Package upload/driver is the kit: the client every
// driver sends through (retries, timeouts, error mapping), body builders
// and SSE reading.
//
// The API key never appears in an error, a Config printed with fmt, or a
// DumpRequest output. The package does not log and does not read the
// environment.
package upload
