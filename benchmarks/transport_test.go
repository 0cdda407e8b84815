package benchmarks_test

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/pipeline"
)

// transportCases are the requests of BenchmarkTransport: a compliant photo
// (forwarded byte-identical) and a phone photo prepared for dall-e-2.
var transportCases = []struct {
	name, model, in string
	verify          pipeline.Verify
	proxyArgs       []string
	same            bool // the body must arrive byte-identical
}{
	{name: "compliant-jpeg-12mp/model=gpt-image-1/verify=decode", model: "gpt-image-1", in: "passthrough-jpeg", same: true},
	{name: "compliant-jpeg-12mp/model=gpt-image-1/verify=headers", model: "gpt-image-1", in: "passthrough-jpeg", same: true,
		verify: pipeline.VerifyHeaders, proxyArgs: []string{"--verify", "headers"}},
	{name: "phone-jpeg-12mp/model=dall-e-2", model: "dall-e-2", in: "jpeg-12mp"},
}

// BenchmarkTransport measures the time imgprep adds to an edit request,
// side by side with the same request without it:
//
//   - path=direct: client -> server (the peer: no imgprep)
//   - path=transport: client with imgprep.NewTransport -> server, in process
//   - path=proxy-hop: client -> 'imgprep proxy' process -> server, the same
//     body to a route the transport does not touch (the cost of the hop)
//   - path=proxy: client -> 'imgprep proxy' process -> server
//
// The server (in this process) reads and discards the body. added-ms is
// ns/op minus direct's of the same request, x-direct their ratio; cpu-ms/op
// is this process's CPU (client, server, in-process transport),
// proxy-cpu-ms/op the proxy process's (10 ms ticks, averaged).
func BenchmarkTransport(b *testing.B) {
	srv := newSink(b)
	bin := buildProxy(b)
	proxies := map[string]*proxyProc{}
	direct := map[string]float64{}
	for _, c := range transportCases {
		img := input(b, c.in)
		ct, body := editBody(c.model, img)
		key := strings.Join(c.proxyArgs, " ")
		if proxies[key] == nil {
			proxies[key] = startProxyProc(b, bin, srv.URL+"/v1", c.proxyArgs...)
		}
		px := proxies[key]
		tr := imgprep.NewTransport(plainTransport(), imgprep.TransportOptions{Prepare: pipeline.Options{Verify: c.verify}})
		paths := []struct {
			name   string
			client *http.Client
			url    string
			proxy  *proxyProc
		}{
			{"direct", &http.Client{Transport: plainTransport()}, srv.URL + "/v1/images/edits", nil},
			{"transport", &http.Client{Transport: tr}, srv.URL + "/v1/images/edits", nil},
			{"proxy-hop", &http.Client{Transport: plainTransport()}, px.base + "/uploads", px},
			{"proxy", &http.Client{Transport: plainTransport()}, px.base + "/images/edits", px},
		}
		for _, p := range paths {
			b.Run(fmt.Sprintf("req=%s/path=%s", c.name, p.name), func(b *testing.B) {
				if err := send(p.client, p.url, ct, body, "X-Capture", "1"); err != nil {
					b.Fatal(err)
				}
				if c.same && srv.lastSum() != sha256.Sum256(body) {
					b.Fatal("the body did not arrive byte-identical")
				}
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				cpu0, pcpu0 := cpuTime(), p.proxy.cpuOrZero()
				b.ResetTimer()
				for b.Loop() {
					if err := send(p.client, p.url, ct, body); err != nil {
						b.Fatal(err)
					}
				}
				perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
				b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
				if p.proxy != nil {
					b.ReportMetric(float64(p.proxy.cpu()-pcpu0)/1e6/float64(b.N), "proxy-cpu-ms/op")
				}
				if p.name == "direct" {
					direct[c.name] = perOp
				} else if d := direct[c.name]; d > 0 {
					b.ReportMetric((perOp-d)/1e6, "added-ms")
					b.ReportMetric(perOp/d, "x-direct")
				}
			})
		}
	}
}

func (p *proxyProc) cpuOrZero() time.Duration {
	if p == nil {
		return 0
	}
	return p.cpu()
}

// plainTransport is a fresh connection pool that ignores proxy variables.
func plainTransport() *http.Transport {
	return &http.Transport{MaxIdleConnsPerHost: 64, ForceAttemptHTTP2: false}
}

// BenchmarkProxyLoad sends 32 concurrent dall-e-2 edits of the 12 MP phone
// photo through one proxy process per sub-benchmark and reports the
// process's peak RSS (VmHWM) with the wall time per round of 32:
// buffered=default holds at most twice --concurrency request bodies in
// memory (the others wait unread), buffered=unbounded reads every body at
// once and leaves the waiting to the transport.
func BenchmarkProxyLoad(b *testing.B) {
	const clients = 32
	srv := newSink(b)
	bin := buildProxy(b)
	ct, body := editBody("dall-e-2", input(b, "jpeg-12mp"))
	for _, v := range []struct {
		name string
		args []string
	}{
		{"buffered=default", nil},
		{"buffered=unbounded", []string{"--max-buffered", "-1"}},
	} {
		b.Run(fmt.Sprintf("clients=%d/%s", clients, v.name), func(b *testing.B) {
			px := startProxyProc(b, bin, srv.URL+"/v1", v.args...)
			c := &http.Client{Transport: plainTransport()}
			b.SetBytes(int64(clients * len(body)))
			for b.Loop() {
				var wg sync.WaitGroup
				errs := make(chan error, clients)
				for range clients {
					wg.Go(func() {
						if err := send(c, px.base+"/images/edits", ct, body); err != nil {
							errs <- err
						}
					})
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(px.peakRSS())/1e6, "peak-rss-MB")
			b.ReportMetric(float64(clients*b.N)/b.Elapsed().Seconds(), "edits/s")
		})
	}
}
