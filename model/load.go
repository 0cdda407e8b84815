package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// maxFileBytes bounds a models file.
const maxFileBytes = 4 << 20

// Load reads a models file (a JSON array of profile entries, the format
// [Encode] writes) and adds or replaces each entry's profile. An entry
// with "like" starts from a copy of that model's profile (known before, or
// defined by an earlier entry) and overrides only the fields it gives; its
// aliases are its own. Load is all or nothing: on error (a *FieldError
// naming the entry, the model and the field, or a JSON syntax error)
// nothing is changed.
func Load(r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return fmt.Errorf("model: reading models: %w", err)
	}
	if len(data) > maxFileBytes {
		return fmt.Errorf("model: models file is over %d bytes", maxFileBytes)
	}
	var entries []json.RawMessage
	if err := json.Unmarshal(data, &entries); err != nil {
		return fmt.Errorf("model: models file is not a JSON array of profiles: %w", err)
	}
	reg.mu.Lock()
	defer reg.mu.Unlock()
	// Apply to a copy, so that a bad entry leaves the registry as it was.
	work := newRegistry(nil)
	for _, p := range reg.list {
		if err := work.set(p, false); err != nil {
			return err
		}
	}
	for i, raw := range entries {
		p, err := work.entry(raw)
		if err == nil {
			err = work.set(p, true)
		}
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				fe = &FieldError{Reason: err.Error()}
			}
			fe.Entry = i + 1
			if fe.Name == "" && p != nil {
				fe.Name = p.Name
			}
			return fe
		}
	}
	reg.list, reg.byName = work.list, work.byName
	return nil
}

// entry decodes one models-file entry into a profile.
func (r *registry) entry(raw json.RawMessage) (*Profile, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, &FieldError{Reason: "not a JSON object"}
	}
	var name string
	if v, ok := fields["name"]; ok {
		if err := json.Unmarshal(v, &name); err != nil {
			return nil, &FieldError{Field: "name", Reason: "must be a string"}
		}
	}
	if strings.TrimSpace(name) == "" {
		return nil, &FieldError{Field: "name", Reason: "is required"}
	}
	p := &Profile{}
	if v, ok := fields["like"]; ok {
		var like string
		if err := json.Unmarshal(v, &like); err != nil {
			return nil, &FieldError{Name: name, Field: "like", Reason: "must be a model name"}
		}
		base, ok := r.lookup(like)
		if !ok {
			return nil, &FieldError{Name: name, Field: "like", Reason: fmt.Sprintf("unknown model %q", like)}
		}
		p = base.Clone()
		p.Aliases = nil
		delete(fields, "like")
	}
	known := jsonFields()
	for k := range fields {
		f, ok := known[k]
		if !ok {
			return nil, &FieldError{Name: name, Field: k, Reason: "unknown field"}
		}
		// A field given replaces the inherited value whole (maps too).
		fv := reflect.ValueOf(p).Elem().FieldByIndex(f.Index)
		fv.SetZero()
		dec := json.NewDecoder(bytes.NewReader(fields[k]))
		if err := dec.Decode(fv.Addr().Interface()); err != nil {
			return nil, &FieldError{Name: name, Field: k, Reason: typeReason(err, f.Type)}
		}
	}
	return p, nil
}

// typeReason turns a JSON decoding error into a short reason.
func typeReason(err error, t reflect.Type) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s where %s was expected", te.Value, kindName(t))
	}
	return err.Error()
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice:
		return "a list of " + kindName(t.Elem())
	case reflect.Map:
		return "an object of " + kindName(t.Elem())
	case reflect.Pointer:
		return kindName(t.Elem())
	case reflect.Struct:
		return "an object"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	}
	return "a number"
}

// jsonFields maps each JSON field name of Profile to its struct field.
func jsonFields() map[string]reflect.StructField {
	t := reflect.TypeFor[Profile]()
	m := make(map[string]reflect.StructField, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			m[name] = f
		}
	}
	return m
}

// Encode writes profiles in the models-file format that [Load] reads: an
// indented JSON array of complete profiles.
func Encode(w io.Writer, ps []*Profile) error {
	if ps == nil {
		ps = []*Profile{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(ps)
}
