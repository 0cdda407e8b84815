// Package finish post-processes edit results back into the user's world,
// driven by the pipeline.Plan recorded when the input was prepared (never
// re-derived): it decodes whatever the server sent, removes the padding,
// scales back to the original's upright size (undoing a crop where the
// original is at hand), composites the edited area onto the full-resolution
// original through the mask the model got, and encodes in the requested
// format with output_compression applied locally.
package finish
