package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// proxyShutdownGrace bounds how long in-flight requests may run on after
// SIGINT or SIGTERM before the remaining connections are closed.
var proxyShutdownGrace = 30 * time.Second

// runProxy is 'imgprep proxy': a local reverse proxy that sends
// http://LISTEN/v1/X to UPSTREAM/X through imgprep.NewTransport, so that
// any client (OPENAI_BASE_URL=http://LISTEN/v1) sends compliant edits.
// It prints its base URL on stdout's first line, logs one line per request
// on stderr, and shuts down gracefully when ctx ends (SIGINT, SIGTERM).
func runProxy(ctx context.Context, env *cliEnv, args []string) int {
	fs := newFlagSet("proxy", env.stderr)
	var pf proxyFlags
	pf.register(fs)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return flagErr(err)
	}
	if len(rest) > 0 {
		return usageErr(env, "proxy", "unexpected arguments %q (the proxy takes flags only)", rest)
	}
	cfg, err := pf.resolve(env)
	if err != nil {
		return usageErr(env, "proxy", "%v", err)
	}
	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		fmt.Fprintf(env.stderr, "imgprep proxy: %v\n", err)
		return exitRejected
	}
	if err := checkListener(ln.Addr(), cfg.upstream, pf.allowRemote); err != nil {
		ln.Close()
		return usageErr(env, "proxy", "%v", err)
	}
	return serveProxy(ctx, env, ln, cfg)
}

// checkListener refuses what the literal --listen could not show: a host
// name that resolved to a reachable address, and an upstream that is the
// proxy itself (OPENAI_BASE_URL pointing at the proxy in its own shell).
func checkListener(addr net.Addr, upstream *url.URL, allowRemote bool) error {
	ta, ok := addr.(*net.TCPAddr)
	if !ok {
		return nil
	}
	if !allowRemote && !ta.IP.IsLoopback() {
		return fmt.Errorf("--listen resolved to %s, which is not a loopback address: add --allow-remote if that is meant", ta)
	}
	host, port := upstream.Hostname(), upstream.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[upstream.Scheme]
	}
	ip := net.ParseIP(host)
	same := (ip != nil && ip.Equal(ta.IP)) || (isLoopbackHost(host) && (ta.IP.IsLoopback() || ta.IP.IsUnspecified()))
	if same && port == strconv.Itoa(ta.Port) {
		return fmt.Errorf("the upstream %s is this proxy itself (is OPENAI_BASE_URL or IMGPREP_BASE_URL set to the proxy's URL in its own environment?): give the API's URL with --upstream", upstream.Redacted())
	}
	return nil
}

// serveProxy serves on ln until ctx ends, then shuts down gracefully.
func serveProxy(ctx context.Context, env *cliEnv, ln net.Listener, cfg proxyConfig) int {
	s := newProxyServer(cfg, upstreamTransport(), env.stderr)
	srv := &http.Server{
		Handler:           s.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    256 << 10,
		ErrorLog:          log.New(s.log, "imgprep proxy: ", 0),
	}
	base := "http://" + ln.Addr().String() + "/v1"
	fmt.Fprintln(env.stdout, base)
	fmt.Fprintf(s.log, "imgprep proxy: serving %s -> %s%s\n", base, cfg.upstream.Redacted(), describeAuth(cfg))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(s.log, "imgprep proxy: %v\n", err)
		return exitRejected
	case <-ctx.Done():
	}
	fmt.Fprintf(s.log, "imgprep proxy: shutting down: in-flight requests have %s to finish\n", proxyShutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), proxyShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		fmt.Fprintf(s.log, "imgprep proxy: requests still running after %s: closing their connections\n", proxyShutdownGrace)
		srv.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(s.log, "imgprep proxy: %v\n", err)
	}
	fmt.Fprintln(s.log, "imgprep proxy: stopped")
	return exitOK
}

// describeAuth says, for the start-up line, how requests are authorized
// (never the key or the token themselves).
func describeAuth(cfg proxyConfig) string {
	var notes []string
	if cfg.key != "" {
		notes = append(notes, "API key injected when a client sends none")
	}
	if cfg.token != "" {
		notes = append(notes, "clients must present the proxy token")
	}
	if len(notes) == 0 {
		return " (clients' Authorization forwarded as sent)"
	}
	return " (" + strings.Join(notes, "; ") + ")"
}

// upstreamTransport is the connection pool to the upstream: the default
// transport (HTTPS_PROXY and the like honoured) with enough idle
// connections per host for many concurrent clients.
func upstreamTransport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}
