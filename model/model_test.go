package model_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/imgprep/imgprep/codecs"
	"github.com/imgprep/imgprep/model"
)

func TestLookupReturnsCopies(t *testing.T) {
	p, err := model.Lookup("gpt-image-1")
	if err != nil {
		t.Fatal(err)
	}
	p.MaxBytes = 1
	p.Params["size"][0] = "changed"
	p.Formats[0] = codecs.GIF
	q, _ := model.Lookup("GPT-IMAGE-1")
	if q.MaxBytes != 50_000_000 || q.Params["size"][0] != "1024x1024" || q.Formats[0] != codecs.PNG {
		t.Fatalf("Lookup handed out shared state: %+v", q)
	}
	for _, p := range model.Profiles() {
		p.Name = "x"
	}
	if model.Profiles()[0].Name != "dall-e-2" {
		t.Fatal("Profiles handed out shared state")
	}
}

func TestBuiltinsFromSpec(t *testing.T) {
	for _, name := range []string{"dall-e-2", "gpt-image-1", "gpt-image-1-all", "gpt-image-1-mini", "gpt-image-1.5",
		"gpt-image-2", "gpt-image-2-2026-04-21", "chatgpt-image-latest", "flux-kontext-pro", "flux-kontext-max"} {
		if _, err := model.Lookup(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	d, _ := model.Lookup("dall-e-2")
	if !d.ParamAllowed("quality", "standard") || d.ParamAllowed("quality", "high") || d.GPTImage() {
		t.Errorf("dall-e-2 quality/family: %v %v", d.Params["quality"], d.Family)
	}
	snap, _ := model.Lookup("gpt-image-2-2026-04-21")
	if !snap.GPTImage() || snap.SizeRule == nil || !snap.SizeRule.Allows("1536x864") || snap.TakesParam("input_fidelity") {
		t.Errorf("snapshot: %+v", snap)
	}
	l, _ := model.Lookup("chatgpt-image-latest")
	if !l.GPTImage() || l.MaxImages != 16 || l.MaxBytes != 50_000_000 || !l.Mask {
		t.Errorf("chatgpt-image-latest: %+v", l)
	}
	var ue *model.UnknownError
	if _, err := model.Lookup("nope"); !errors.As(err, &ue) || ue.Name != "nope" || !strings.Contains(err.Error(), "dall-e-2") {
		t.Errorf("unknown: %v", err)
	}
}

func TestSizeRule(t *testing.T) {
	r := model.SizeRule{Multiple: 16, MaxAspect: 3, MaxLong: 3840, MaxShort: 2160}
	for v, want := range map[string]bool{
		"auto": true, "1536x864": true, "3840x2160": true, "1024x1024": true, "2160x3840": true,
		"3856x2160": false, "1000x1000": false, "3840x1264": false, "1296x3840": true, "x": false, "0x0": false,
		"-16x16": false, "4800x1600": false,
	} {
		if got := r.Allows(v); got != want {
			t.Errorf("Allows(%q) = %v, want %v", v, got, want)
		}
	}
	if !strings.Contains(r.String(), "multiples of 16") {
		t.Error(r.String())
	}
}

func TestEncodeLoadRoundTrip(t *testing.T) {
	var a bytes.Buffer
	if err := model.Encode(&a, model.Profiles()); err != nil {
		t.Fatal(err)
	}
	if err := model.Load(bytes.NewReader(a.Bytes())); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	model.Encode(&b, model.Profiles())
	if a.String() != b.String() {
		t.Fatalf("round trip changed the table:\n%s\nvs\n%s", a.String(), b.String())
	}
}

func TestLoadLikeAndAliases(t *testing.T) {
	file := `[
	  {"name": "acme-vip", "like": "gpt-image-1", "aliases": ["acme-vip-2"], "max_bytes": 10000000, "params": {"n": []}},
	  {"name": "acme-vip-flux", "like": "acme-vip", "max_images": 1}
	]`
	if err := model.Load(strings.NewReader(file)); err != nil {
		t.Fatal(err)
	}
	p, err := model.Lookup("ACME-VIP-2")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "acme-vip" || p.MaxBytes != 10_000_000 || p.MaxImages != 16 || !p.GPTImage() {
		t.Errorf("acme-vip = %+v", p)
	}
	if len(p.Params) != 1 || !p.TakesParam("n") || p.TakesParam("size") {
		t.Errorf("params should be replaced whole: %v", p.Params)
	}
	q, _ := model.Lookup("acme-vip-flux")
	if q.MaxImages != 1 || q.MaxBytes != 10_000_000 || len(q.Aliases) != 0 {
		t.Errorf("acme-vip-flux = %+v", q)
	}
	g, _ := model.Lookup("gpt-image-1")
	if g.MaxBytes != 50_000_000 || !g.TakesParam("size") {
		t.Errorf("the base changed: %+v", g)
	}
	// An alias of a built-in may be taken over by a model of its own.
	if err := model.Load(strings.NewReader(`[{"name": "gpt-image-1-all", "like": "gpt-image-1", "max_images": 4}]`)); err != nil {
		t.Fatal(err)
	}
	if a, _ := model.Lookup("gpt-image-1-all"); a.Name != "gpt-image-1-all" || a.MaxImages != 4 {
		t.Errorf("gpt-image-1-all = %+v", a)
	}
	if g, _ := model.Lookup("gpt-image-1"); len(g.Aliases) != 0 {
		t.Errorf("gpt-image-1 kept the alias: %v", g.Aliases)
	}
}

func TestLoadErrorsNameEntryAndField(t *testing.T) {
	before := model.Profiles()
	cases := []struct{ file, field, has string }{
		{`[{"name": "ok-1", "like": "gpt-image-1"}, {"name": "bad", "like": "gpt-image-1", "max_bytes": "big"}]`, "max_bytes", "entry 2 (\"bad\")"},
		{`[{"name": "bad", "like": "no-such-model"}]`, "like", "unknown model"},
		{`[{"name": "bad", "like": "dall-e-2", "max_bytez": 4}]`, "max_bytez", "unknown field"},
		{`[{"name": "bad", "formats": ["png"], "max_bytes": 0, "max_images": 1}]`, "max_bytes", "> 0"},
		{`[{"name": "bad", "like": "dall-e-2", "formats": ["gif"]}]`, "formats", "not an upload format"},
		{`[{"like": "dall-e-2"}]`, "name", "required"},
		{`[{"name": "bad", "like": "gpt-image-2", "size_rule": {"multiple": 0}}]`, "size_rule", "multiple"},
		{`[{"name": "bad", "like": "gpt-image-1", "aliases": ["dall-e-2"]}]`, "aliases", "another model"},
		{`[{"name": "bad", "like": "gpt-image-1", "family": "midjourney"}]`, "family", "not one of"},
	}
	for _, c := range cases {
		err := model.Load(strings.NewReader(c.file))
		var fe *model.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !strings.Contains(err.Error(), c.has) || fe.Entry == 0 {
			t.Errorf("Load(%s) = %v (field %q), want field %q with %q", c.file, err, fieldOf(fe), c.field, c.has)
		}
	}
	if err := model.Load(strings.NewReader(`{"name": "x"}`)); err == nil {
		t.Error("an object instead of an array was accepted")
	}
	if _, err := model.Lookup("ok-1"); err == nil {
		t.Error("a failed Load changed the registry")
	}
	if len(model.Profiles()) != len(before) {
		t.Error("a failed Load changed the registry")
	}
}

func fieldOf(fe *model.FieldError) string {
	if fe == nil {
		return ""
	}
	return fe.Field
}

func TestLikeAndSet(t *testing.T) {
	p, err := model.Like("acme-relay-x", "flux-kontext-max")
	if err != nil || p.Name != "acme-relay-x" || p.MaxBytes != 20_000_000 || len(p.Aliases) != 0 {
		t.Fatalf("Like = %+v, %v", p, err)
	}
	if _, err := model.Lookup("acme-relay-x"); err == nil {
		t.Fatal("Like registered the copy")
	}
	if err := model.Set(p); err != nil {
		t.Fatal(err)
	}
	if _, err := model.Lookup("acme-relay-x"); err != nil {
		t.Fatal(err)
	}
	if _, err := model.Like("x", "nope"); err == nil {
		t.Fatal("Like of an unknown model")
	}
}

func TestRegisterPanics(t *testing.T) {
	reg := &model.Profile{Name: "acme-reg", Aliases: []string{"ACME-REG-ALIAS"}, Formats: []codecs.Format{codecs.PNG}, MaxBytes: 1, MaxImages: 1}
	model.Register(reg)
	if p, err := model.Lookup("acme-reg-alias"); err != nil || !reflect.DeepEqual(p, reg) || p == reg {
		t.Fatalf("alias lookup = %v, %v; want an equal copy of %v", p, err, reg)
	}
	for name, bad := range map[string]*model.Profile{
		"nil":       nil,
		"unnamed":   {Formats: []codecs.Format{codecs.PNG}, MaxBytes: 1, MaxImages: 1},
		"noformats": {Name: "acme-nf", MaxBytes: 1, MaxImages: 1},
		"dup":       {Name: "acme-reg", Formats: []codecs.Format{codecs.PNG}, MaxBytes: 1, MaxImages: 1},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Register(%s) did not panic", name)
				}
			}()
			model.Register(bad)
		}()
	}
}
