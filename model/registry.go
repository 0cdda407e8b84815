package model

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
)

// registry holds the known profiles; every name and alias maps to the
// index of its profile in list, which keeps registration order.
type registry struct {
	mu     sync.RWMutex
	list   []*Profile
	byName map[string]int
}

var reg = newRegistry(builtins())

func newRegistry(ps []*Profile) *registry {
	r := &registry{byName: map[string]int{}}
	for _, p := range ps {
		if err := r.set(p, false); err != nil {
			panic(err)
		}
	}
	return r
}

func key(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// set adds p, or replaces the profile of the same name when replace is
// set. A name or alias of p that is another profile's alias is moved to p;
// one that is another profile's name is an error.
func (r *registry) set(p *Profile, replace bool) error {
	if err := p.check(); err != nil {
		return err
	}
	at, exists := r.byName[key(p.Name)]
	if exists && !strings.EqualFold(r.list[at].Name, p.Name) {
		// p.Name is an alias of another profile: p takes it over.
		r.dropAlias(at, p.Name)
		exists = false
	}
	if exists && !replace {
		return fmt.Errorf("model: %s is already registered", p.Name)
	}
	for _, a := range p.Aliases {
		if i, ok := r.byName[key(a)]; ok && (!exists || i != at) {
			if strings.EqualFold(r.list[i].Name, a) {
				return &FieldError{Name: p.Name, Field: "aliases", Reason: fmt.Sprintf("%q is the name of another model", a)}
			}
			r.dropAlias(i, a)
		}
	}
	p = p.Clone()
	if exists {
		for _, a := range r.list[at].Aliases {
			delete(r.byName, key(a))
		}
		r.list[at] = p
	} else {
		at = len(r.list)
		r.list = append(r.list, p)
	}
	for _, n := range append([]string{p.Name}, p.Aliases...) {
		r.byName[key(n)] = at
	}
	return nil
}

func (r *registry) dropAlias(i int, alias string) {
	r.list[i].Aliases = slices.DeleteFunc(r.list[i].Aliases, func(a string) bool { return strings.EqualFold(a, alias) })
	delete(r.byName, key(alias))
}

func (r *registry) lookup(name string) (*Profile, bool) {
	i, ok := r.byName[key(name)]
	if !ok {
		return nil, false
	}
	return r.list[i], true
}

// UnknownError is a model name no profile has.
type UnknownError struct {
	// Name is the name as asked for.
	Name string
	// Known lists the known model names, sorted.
	Known []string
}

// Error returns e.g. `model: unknown model "x" (known: ...)`.
func (e *UnknownError) Error() string {
	return fmt.Sprintf("model: unknown model %q (known: %s)", e.Name, strings.Join(e.Known, ", "))
}

// Register adds a profile under its name and aliases. It panics when p is
// nil or invalid (no name, no formats, no byte or image limit) or a name is
// already taken, like database/sql.Register; use [Set] to add or replace
// with an error instead.
func Register(p *Profile) {
	if p == nil {
		panic("model: Register of nil profile")
	}
	reg.mu.Lock()
	defer reg.mu.Unlock()
	if err := reg.set(p, false); err != nil {
		panic(err.Error())
	}
}

// Set adds p, or replaces the known profile of the same name. p is copied.
// It fails when p is invalid or an alias of p is another model's name.
func Set(p *Profile) error {
	if p == nil {
		return &FieldError{Reason: "nil profile"}
	}
	reg.mu.Lock()
	defer reg.mu.Unlock()
	return reg.set(p, true)
}

// Lookup returns a copy of the profile for a model name or alias
// (case-insensitive); an unknown name gives an *UnknownError.
func Lookup(name string) (*Profile, error) {
	reg.mu.RLock()
	defer reg.mu.RUnlock()
	if p, ok := reg.lookup(name); ok {
		return p.Clone(), nil
	}
	known := make([]string, len(reg.list))
	for i, p := range reg.list {
		known[i] = p.Name
	}
	sort.Strings(known)
	return nil, &UnknownError{Name: name, Known: known}
}

// Like returns a copy of the profile of model like, named name and with no
// aliases: a relay's model that has like's limits. It does not register
// the copy; pass it to [Set] for that.
func Like(name, like string) (*Profile, error) {
	p, err := Lookup(like)
	if err != nil {
		return nil, err
	}
	p.Name, p.Aliases = strings.TrimSpace(name), nil
	return p, p.check()
}

// Profiles returns copies of the known profiles in registration order.
func Profiles() []*Profile {
	reg.mu.RLock()
	defer reg.mu.RUnlock()
	out := make([]*Profile, len(reg.list))
	for i, p := range reg.list {
		out[i] = p.Clone()
	}
	return out
}
