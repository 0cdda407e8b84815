package upload

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/upload/internal/wire"
)

// Response is the result of an edit.
type Response struct {
	// Created is the server's Unix timestamp.
	Created int64 `json:"created"`
	// Images are the returned images, in order.
	Images []Image `json:"images"`
	// Usage is the token usage, when reported.
	Usage *Usage `json:"usage,omitempty"`
	// Background, OutputFormat, Size, Quality echo the server's choices.
	Background   string `json:"background,omitempty"`
	OutputFormat string `json:"output_format,omitempty"`
	Size         string `json:"size,omitempty"`
	Quality      string `json:"quality,omitempty"`
	// Raw is the response JSON (for a stream, the last completed event),
	// for --verbose output.
	Raw []byte `json:"-"`
}

// Image is one returned image.
type Image struct {
	// Data is the image (decoded from b64_json or downloaded from URL).
	Data []byte `json:"-"`
	// Format is codecs.Sniff(Data).
	Format codecs.Format `json:"format"`
	// URL is the result URL when the server returned one.
	URL string `json:"url,omitempty"`
	// RevisedPrompt is the prompt the model actually used, if reported.
	RevisedPrompt string `json:"revised_prompt,omitempty"`
}

// Usage is the token usage of an edit.
type Usage struct {
	InputTokens        int `json:"input_tokens"`
	OutputTokens       int `json:"output_tokens"`
	TotalTokens        int `json:"total_tokens"`
	InputTokensDetails struct {
		TextTokens  int `json:"text_tokens"`
		ImageTokens int `json:"image_tokens"`
	} `json:"input_tokens_details"`
}

// flexInt accepts a JSON number (integer or float) or a numeric string.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("not a number: %.40s", s)
	}
	*f = flexInt(v)
	return nil
}

type wireImage struct {
	B64JSON       string `json:"b64_json"`
	URL           string `json:"url"`
	RevisedPrompt string `json:"revised_prompt"`
}

type wireResponse struct {
	Created      flexInt         `json:"created"`
	Data         json.RawMessage `json:"data"`
	Background   string          `json:"background"`
	OutputFormat string          `json:"output_format"`
	Size         string          `json:"size"`
	Quality      string          `json:"quality"`
	Usage        *Usage          `json:"usage"`
	Error        json.RawMessage `json:"error"`
	TaskID       string          `json:"task_id"`
	Result       json.RawMessage `json:"result"`
}

// parseResponse parses a 200 edit response body. b64_json images (also
// with a data:image/...;base64, prefix) are decoded; url images are left
// with only URL set (Client.Download fetches them). A body with an error
// object gives an *APIError with StatusCode 200; a body without any image
// gives ErrNoImage; invalid JSON gives ErrMalformedResponse.
func parseResponse(body []byte) (*Response, error) {
	var w wireResponse
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, &kindError{kind: ErrMalformedResponse, cause: err,
			msg: fmt.Sprintf("response is not valid JSON (%d bytes, starts %q): %v", len(body), snippet(body, 60), err)}
	}
	var items []wireImage
	if len(w.Data) > 0 && w.Data[0] == '[' {
		if err := json.Unmarshal(w.Data, &items); err != nil {
			return nil, &kindError{kind: ErrMalformedResponse, cause: err, msg: "response data: " + err.Error()}
		}
	}
	if len(items) == 0 && len(w.Result) > 0 && w.Result[0] == '{' {
		return parseResponse(w.Result) // relays that nest the result
	}
	if len(items) == 0 && len(w.Error) > 0 && string(w.Error) != "null" {
		e := &APIError{StatusCode: 200}
		fillAPIError(e, body)
		e.Message = Redact(e.Message)
		return nil, e
	}
	resp := &Response{
		Created: int64(w.Created), Usage: w.Usage, Raw: body,
		Background: w.Background, OutputFormat: w.OutputFormat, Size: w.Size, Quality: w.Quality,
	}
	for i, it := range items {
		img := Image{URL: strings.TrimSpace(it.URL), RevisedPrompt: it.RevisedPrompt}
		if it.B64JSON != "" {
			data, err := wire.DecodeBase64(it.B64JSON)
			if err != nil {
				return nil, &kindError{kind: ErrMalformedResponse, cause: err, msg: fmt.Sprintf("data[%d].b64_json: %v", i, err)}
			}
			img.Data, img.Format = data, codecs.Sniff(data)
		} else if img.URL == "" {
			continue
		}
		resp.Images = append(resp.Images, img)
	}
	if len(resp.Images) == 0 {
		if w.TaskID != "" {
			return nil, errorf(ErrNoImage, "the server answered with async task %q and no image; use the async-task uploader", w.TaskID)
		}
		return nil, errorf(ErrNoImage, "the response carries no image (%d data entries)", len(items))
	}
	return resp, nil
}

func sniff(b []byte) codecs.Format { return codecs.Sniff(b) }

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
