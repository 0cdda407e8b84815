package upload

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"github.com/imgprep/imgprep/internal/errdetail"
	"github.com/imgprep/imgprep/upload/internal/wire"
)

// maxParallelDownloads bounds concurrent result downloads.
const maxParallelDownloads = 4

// Download fetches every image of resp that has a URL but no Data, at
// most four at a time, each with the retry policy, MaxDownloadBytes and
// DownloadTimeout. Only http and https URLs are fetched, also across
// redirects. The API key is sent only to the BaseURL's own origin. Every
// goroutine started has ended when Download returns.
func (c *client) Download(ctx context.Context, resp *Response) error {
	var todo []int
	for i, img := range resp.Images {
		if img.Data == nil && img.URL != "" {
			todo = append(todo, i)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(todo))
	sem := make(chan struct{}, maxParallelDownloads)
	var wg sync.WaitGroup
	for k, i := range todo {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			data, err := c.download(ctx, resp.Images[i].URL)
			if err != nil {
				errs[k] = &DownloadError{Image: i, Err: err}
				cancel()
				return
			}
			resp.Images[i].Data, resp.Images[i].Format = data, sniff(data)
		}()
	}
	wg.Wait()
	for _, err := range errs { // the first real failure, not the cancellations it caused
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	return errors.Join(errs...)
}

// DownloadError is a result image whose URL could not be downloaded. It
// matches ErrDownload and the categories of Err: an *APIError for an error
// status, or a network, timeout or size error.
type DownloadError struct {
	// Image is the image's index in Response.Images.
	Image int
	Err   error
}

// Error returns "upload: " + Detail.
func (e *DownloadError) Error() string { return prefix + e.Detail() }

// Detail returns "downloading image <n>: <the cause's detail>", n counted
// from 1.
func (e *DownloadError) Detail() string {
	return "downloading image " + strconv.Itoa(e.Image+1) + ": " + errdetail.Of(e.Err)
}

// Unwrap returns ErrDownload and the cause.
func (e *DownloadError) Unwrap() []error { return []error{ErrDownload, e.Err} }

// download fetches one result URL.
func (c *client) download(ctx context.Context, raw string) ([]byte, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		scheme := "invalid"
		if err == nil {
			scheme = strconv.Quote(u.Scheme)
		}
		return nil, errorf(ErrDownload, "result URL %s has a %s scheme; only http and https are downloaded", redactURL(raw), scheme)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.DownloadTimeout)
	defer cancel()
	call := wire.Call{Method: http.MethodGet, URL: raw, Header: http.Header{"Accept": {"image/*, */*"}}}
	o := callOpts{client: c.dl, max: c.cfg.MaxDownloadBytes, auth: u.Scheme == c.base.Scheme && u.Host == c.base.Host, kind: ErrDownload}
	var data []byte
	_, err = c.retry(ctx, call, func(ctx context.Context) (bool, error) {
		r, retry, err := c.roundTrip(ctx, call, o, nil)
		if r != nil {
			data = r.Body
		}
		return retry, err
	})
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, errorf(ErrDownload, "%s: empty body", redactURL(raw))
	}
	return data, nil
}
