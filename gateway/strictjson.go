package gateway

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"sync"

	"github.com/pushd/pushd/push/core"
)

// trailing reports whether data holds more than JSON whitespace after the
// value dec decoded from it. dec.More is no test for that: at the top
// level it answers false for a stray "}" or "]".
func trailing(data []byte, dec *json.Decoder) bool {
	return len(bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n")) > 0
}

// checkKeys walks the JSON value in body beside the Go type it was decoded
// into and refuses the two things encoding/json lets through: a key that
// appears twice in one object (encoding/json keeps the last) and a key
// that names a struct field only case-insensitively (encoding/json folds
// case, so "InstallationID" would fill installationID). body must already
// have decoded into a value of type t without error; the answer is the
// coded error decode gives an unknown field, naming the key.
func checkKeys(body []byte, t reflect.Type) *core.Error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // numbers are skipped, never converted
	return walkKeys(dec, t, "")
}

// walkKeys reads one value from dec. t is the Go type the value decodes
// into, nil when no field names apply to it (an interface, or a type that
// decodes itself).
func walkKeys(dec *json.Decoder, t reflect.Type, path string) *core.Error {
	tok, err := dec.Token()
	if err != nil {
		return core.Invalid("", "malformed JSON: %v", err)
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return nil // a scalar
	}
	t = keyedType(t)
	switch delim {
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for dec.More() {
			if e := walkKeys(dec, elem, path); e != nil {
				return e
			}
		}
	case '{':
		isStruct := t != nil && t.Kind() == reflect.Struct
		var fields map[string]reflect.Type
		var elem reflect.Type
		switch {
		case isStruct:
			fields = jsonFields(t)
		case t != nil && t.Kind() == reflect.Map:
			elem = t.Elem()
		}
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return core.Invalid("", "malformed JSON: %v", err)
			}
			key, _ := tok.(string)
			at := key
			if path != "" {
				at = path + "." + key
			}
			if seen[key] {
				return core.Invalid(at, "duplicate key %q", key)
			}
			seen[key] = true
			if isStruct {
				ft, ok := fields[key]
				if !ok {
					return caseVariant(at, key, fields)
				}
				elem = ft
			}
			if e := walkKeys(dec, elem, at); e != nil {
				return e
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing delimiter
		return core.Invalid("", "malformed JSON: %v", err)
	}
	return nil
}

// caseVariant answers a key no field has exactly. After encoding/json
// accepted the body with unknown fields refused, such a key matches a
// field name with case folded.
func caseVariant(at, key string, fields map[string]reflect.Type) *core.Error {
	for name := range fields {
		if strings.EqualFold(name, key) {
			return core.Invalid(at, "unknown field %q: field names are case-sensitive, this one is %q", key, name)
		}
	}
	return core.Invalid(at, "unknown field %q", key)
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// keyedType is t without pointers, or nil when t's JSON keys are not
// field names: an interface, or a type with its own UnmarshalJSON or
// UnmarshalText.
func keyedType(t reflect.Type) reflect.Type {
	for t != nil {
		if t.Implements(jsonUnmarshaler) || t.Implements(textUnmarshaler) ||
			(t.Kind() != reflect.Pointer && (reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler))) {
			return nil
		}
		switch t.Kind() {
		case reflect.Pointer:
			t = t.Elem()
		case reflect.Interface:
			return nil
		default:
			return t
		}
	}
	return nil
}

type field struct {
	t      reflect.Type
	tagged bool
}

var fieldCache sync.Map // reflect.Type -> map[string]reflect.Type

// jsonFields maps the JSON names of struct type t's fields, as
// encoding/json names them (the tag's name, else the Go name; fields of
// untagged embedded structs promoted, shallower ones first), to their
// types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	visited := map[reflect.Type]bool{}
	for level := []reflect.Type{t}; len(level) > 0; {
		var next []reflect.Type
		found := map[string]field{} // at one depth a tagged name beats an untagged one
		for _, st := range level {
			if visited[st] {
				continue
			}
			visited[st] = true
			for i := range st.NumField() {
				sf := st.Field(i)
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, _, _ := strings.Cut(tag, ",")
				ft := sf.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
					next = append(next, ft)
					continue
				}
				if !sf.IsExported() {
					continue
				}
				tagged := name != ""
				if !tagged {
					name = sf.Name
				}
				if _, shallower := m[name]; shallower {
					continue
				}
				if prev, ok := found[name]; !ok || (tagged && !prev.tagged) {
					found[name] = field{sf.Type, tagged}
				}
			}
		}
		for name, f := range found {
			m[name] = f.t
		}
		level = next
	}
	fieldCache.Store(t, m)
	return m
}
