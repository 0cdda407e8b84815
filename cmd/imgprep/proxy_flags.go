package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"strings"

	envparse "github.com/caarlos0/env/v11"

	"github.com/imgprep/imgprep"
	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/model"
)

// minTokenLen is the shortest --token accepted: a client token guards an
// API key, so it must not be guessable.
const minTokenLen = 16

// proxyEnv is the proxy's own environment: the client token, so it need
// not be on the command line (where other users of the machine see it).
type proxyEnv struct {
	Token string `env:"IMGPREP_PROXY_TOKEN"`
}

// proxyFlags are the flags of 'imgprep proxy'.
type proxyFlags struct {
	listen, upstream, token  string
	allowRemote, injectKey   bool
	defaultModel, params     string
	noMaskInference, restore bool
	maxBody                  int64
	concurrency, maxBuffered int
	resultFormat             string
	prep                     prepFlags
}

func (f *proxyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8787", "listen address host:port (port 0 picks a free one); loopback only unless --allow-remote")
	fs.StringVar(&f.upstream, "upstream", "", "API base URL requests go to (default $IMGPREP_BASE_URL, else $OPENAI_BASE_URL, else "+defaultUpstream+")")
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "allow a --listen address other machines can reach")
	fs.BoolVar(&f.injectKey, "inject-key", false, "send Authorization: Bearer $IMGPREP_API_KEY (else $OPENAI_API_KEY) when a client sends no Authorization")
	fs.StringVar(&f.token, "token", "", "token clients must present (Authorization: Bearer T or X-Imgprep-Token: T); default $IMGPREP_PROXY_TOKEN; required with --inject-key on a non-loopback address")
	fs.StringVar(&f.defaultModel, "default-model", "", "model of a request that names none (default the API's, "+model.DefaultModel+")")
	fs.StringVar(&f.params, "params", "forward", "parameters the model does not take: forward, drop or refuse (answer 400)")
	fs.BoolVar(&f.noMaskInference, "no-mask-inference", false, "use a mask's alpha channel as it is (no painting detection, no rotation)")
	fs.Int64Var(&f.maxBody, "max-body-bytes", 0, "request body limit in bytes (0 = 256 MiB); larger bodies get 413")
	fs.IntVar(&f.concurrency, "concurrency", 0, "preparations at once across all requests (0 = one per CPU); the others wait")
	fs.IntVar(&f.maxBuffered, "max-buffered", 0, "edit requests whose bodies are held in memory at once, read and waiting for or under preparation (0 = twice --concurrency, -1 = no bound); the others wait unread")
	fs.BoolVar(&f.restore, "restore-results", false, "map b64_json results back to the first image's original geometry")
	fs.StringVar(&f.resultFormat, "result-format", "", "convert b64_json results to png, jpeg or webp")
	f.prep.model.registerFile(fs)
	f.prep.registerOptions(fs)
}

// defaultUpstream is the API base URL when neither flag nor env names one.
const defaultUpstream = "https://api.openai.com/v1"

// proxyConfig is what 'imgprep proxy' serves, resolved from flags and env.
type proxyConfig struct {
	listen    string
	upstream  *url.URL
	key       string // injected when a client sends no Authorization; "" = none
	token     string // required from clients when set
	transport imgprep.TransportOptions
}

// resolve checks the flags against the environment. Its errors are usage
// errors and never contain the key or the token.
func (f *proxyFlags) resolve(env *cliEnv) (proxyConfig, error) {
	var c proxyConfig
	ec, err := loadConfig(env.getenv)
	if err != nil {
		return c, err
	}
	if err := f.prep.model.load(env); err != nil {
		return c, err
	}
	if c.upstream, err = parseUpstream(f.upstream, ec); err != nil {
		return c, err
	}
	if c.transport, err = f.transportOptions(); err != nil {
		return c, err
	}
	var pe proxyEnv
	if err := envparse.ParseWithOptions(&pe, envparse.Options{Environment: map[string]string{"IMGPREP_PROXY_TOKEN": strings.TrimSpace(env.getenv("IMGPREP_PROXY_TOKEN"))}}); err != nil {
		return c, errors.New("IMGPREP_PROXY_TOKEN could not be read")
	}
	c.listen, c.token = f.listen, f.token
	if c.token == "" {
		c.token = pe.Token
	}
	if c.token != "" && len(c.token) < minTokenLen {
		return c, fmt.Errorf("the client token (--token or IMGPREP_PROXY_TOKEN) is shorter than %d characters: use a long random one, e.g. from 'openssl rand -hex 16'", minTokenLen)
	}
	if f.injectKey {
		if c.key = ec.key(); c.key == "" {
			return c, errors.New("--inject-key: set IMGPREP_API_KEY (or OPENAI_API_KEY) to the key to send")
		}
	}
	return c, checkExposure(f.listen, f.allowRemote, f.injectKey, c.token != "")
}

// transportOptions maps the transport flags to imgprep.TransportOptions.
func (f *proxyFlags) transportOptions() (imgprep.TransportOptions, error) {
	var o imgprep.TransportOptions
	var err error
	if o.Prepare, err = f.prep.options(); err != nil {
		return o, err
	}
	if f.defaultModel != "" {
		if _, err := model.Lookup(f.defaultModel); err != nil {
			return o, fmt.Errorf("--default-model %s: %w (add it with --models)", f.defaultModel, err)
		}
	}
	switch f.params {
	case "", "forward":
		o.Params = imgprep.ParamsForward
	case "drop":
		o.Params = imgprep.ParamsDrop
	case "refuse":
		o.Params = imgprep.ParamsRefuse
	default:
		return o, fmt.Errorf("--params %q: want forward, drop or refuse", f.params)
	}
	if f.maxBody < 0 || f.concurrency < 0 {
		return o, errors.New("--max-body-bytes and --concurrency: want 0 (the default) or more")
	}
	if f.maxBuffered < -1 {
		return o, errors.New("--max-buffered: want a number of requests, 0 (the default) or -1 (no bound)")
	}
	if f.resultFormat != "" {
		if o.Results.SaveFormat = codecs.ParseFormat(f.resultFormat); !o.Results.SaveFormat.Encodable() {
			return o, fmt.Errorf("--result-format %q: want png, jpeg or webp", f.resultFormat)
		}
	}
	o.DefaultModel, o.NoMaskInference, o.Results.Restore = f.defaultModel, f.noMaskInference, f.restore
	o.MaxBodyBytes, o.Concurrency, o.MaxBuffered = f.maxBody, f.concurrency, f.maxBuffered
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = imgprep.DefaultMaxBodyBytes
	}
	return o, nil
}

// parseUpstream returns the API base URL: the flag, else the environment's.
func parseUpstream(flagValue string, ec envConfig) (*url.URL, error) {
	raw, from := flagValue, "--upstream"
	if raw == "" {
		raw, from = ec.BaseURL, "IMGPREP_BASE_URL"
		if raw == "" {
			raw, from = ec.OpenAIBaseURL, "OPENAI_BASE_URL"
		}
		if raw == "" {
			raw = defaultUpstream
		}
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%s: want an http or https base URL such as %s", from, defaultUpstream)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath, u.Fragment = "", ""
	return u, nil
}

// checkExposure refuses a listen address other machines can reach without
// --allow-remote, and key injection there without a client token.
func checkExposure(listen string, allowRemote, injectKey, hasToken bool) error {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("--listen %q: want host:port, e.g. 127.0.0.1:8787", listen)
	}
	if isLoopbackHost(host) {
		return nil
	}
	if !allowRemote {
		return fmt.Errorf("--listen %s is not a loopback address, so other machines could use the proxy: add --allow-remote if that is meant", listen)
	}
	if injectKey && !hasToken {
		return fmt.Errorf("--inject-key on the non-loopback address %s needs --token (or IMGPREP_PROXY_TOKEN): without one, anyone who reaches the proxy spends your API key", listen)
	}
	return nil
}

// isLoopbackHost reports a host that names only the loopback interface: a
// loopback IP or "localhost". An empty host means every interface.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
