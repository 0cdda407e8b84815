package upload_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"

	"github.com/imgprep/imgprep/upload"
)

// tinyPNG is a 1x1 PNG.
func tinyPNG() []byte {
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 1, 1)))
	return buf.Bytes()
}

func ExampleOpen() {
	// A stand-in for the API: answers every edit with one PNG.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"created":1,"data":[{"b64_json":%q}],"usage":{"total_tokens":42}}`,
			base64.StdEncoding.EncodeToString(tinyPNG()))
	}))
	defer srv.Close()

	up, err := upload.Open("openai-multipart", upload.Config{BaseURL: srv.URL + "/v1", APIKey: "sk-example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, err := up.Edit(context.Background(), &upload.Request{
		Model:  "gpt-image-1",
		Prompt: "add a red hat",
		Images: []upload.File{{Name: "cat.png", Data: tinyPNG()}},
		Size:   "1024x1024",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(resp.Images), resp.Images[0].Format, resp.Usage.TotalTokens)

	_, err = upload.Open("no-such-driver", upload.Config{})
	fmt.Println(err != nil)
	// Output:
	// 1 png 42
	// true
}

func ExampleRequest_Validate() {
	req := &upload.Request{
		Model:          "gpt-image-1",
		Prompt:         "add a red hat",
		Images:         []upload.File{{Data: tinyPNG()}},
		ResponseFormat: "url",
	}
	err := req.Validate(nil, upload.Multipart)
	var pe *upload.ParamError
	fmt.Println(errors.As(err, &pe), pe.Param, errors.Is(err, upload.ErrInvalidRequest))
	fmt.Println(err)
	// Output:
	// true response_format true
	// upload: model gpt-image-1 does not accept parameter "response_format": GPT image models always return b64_json
}

func ExampleAPIError() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}`)
	}))
	defer srv.Close()
	up, _ := upload.Open("", upload.Config{BaseURL: srv.URL, APIKey: "sk-wrong"})
	_, err := up.Edit(context.Background(), &upload.Request{Model: "gpt-image-1", Prompt: "p", Images: []upload.File{{Data: tinyPNG()}}})
	var ae *upload.APIError
	if errors.As(err, &ae) {
		fmt.Println(ae.StatusCode, ae.Code, errors.Is(err, upload.ErrAuth))
	}
	fmt.Println(err)
	// Output:
	// 401 invalid_api_key true
	// upload: 401 invalid_api_key: Incorrect API key provided
}
