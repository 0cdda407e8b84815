// Package editbody parses the body of an image edit request
// (POST /v1/images/edits) into its image parts and rebuilds it after
// parts were replaced, keeping everything else. It is the body half of
// imgprep's http.RoundTripper, which prepares the images an SDK sends.
//
// Two encodings are understood:
//
//   - multipart/form-data: file parts (parts with a filename parameter,
//     even an empty one) named "image", "image[]", "image[N]" and "mask".
//     Every other part, text fields (a part named "image" without a
//     filename among them) and unknown file parts alike, is kept.
//   - application/json: the official form, images: [{"image_url":
//     "data:image/png;base64,..."}] and mask: {"image_url": "data:..."};
//     and the relay form, "image": "<base64>" or ["<base64>", ...] and
//     "mask": "<base64>", where each string may also be a data URL.
//     Entries Parse cannot touch (a file_id, an http or https URL) are not
//     listed in Body.Images or Body.Mask and are kept as they are.
//
// Anything else makes Parse return ErrNotEditBody, so the caller forwards
// the request untouched.
//
// # What Encode preserves
//
// Multipart: every part other than the images and the mask keeps its
// bytes and header values exactly, in the original order relative to all
// other parts. Not preserved: the boundary (Encode picks a new random one
// and returns the new Content-Type), the preamble and epilogue, parameters
// of the body's Content-Type other than the boundary, and the order and
// capitalisation of part header names (they are written canonical and
// sorted). Image and mask parts are written with only a Content-Disposition
// (name and filename) and, when set, a Content-Type: other headers they
// carried are dropped, and a Content-Transfer-Encoding (base64,
// quoted-printable) is decoded by Parse.
//
// JSON: every byte outside the image strings is kept: members, their key
// order, key escapes, numbers as written, nested objects, whitespace, and
// the untouchable entries. The image strings are written anew: a data URL
// "data:<ContentType>;base64,<standard padded base64>", or plain base64
// when the relay form sent plain base64. So escapes and line breaks inside
// the received base64 are not kept. Around members that SetField adds or
// DeleteField or a dropped mask removes, whitespace may differ.
//
// Parse reads at most Limits.MaxBytes bytes and keeps the decoded images
// plus the small rest of the body; it never panics on malformed input and
// reports it as an *Error.
package editbody
