package gateway

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/pushd/pushd/push/core"

	"github.com/stretchr/testify/require"
)

// The device request decoders are fuzzed against a reference written
// another way: encoding/json's own strict decode, json.Valid for "one
// value and nothing after it", a count of keys in the text against the
// count in the decoded tree for repeated keys, and the decoded tree walked
// beside reflect.VisibleFields for exact field names.

func FuzzDecodeBody(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","inner":{"name":"n","n":1},"list":[{"name":"x"}],"labels":{"k":"v","K":"w"},"any":{"x":[{"x":1}]},"extra":"e","Go":"g"}`,
		`{"id":"a","id":"b"}`, `{"ID":"a"}`, `{"inner":{"Name":"a"}}`, `{"list":[{"n":1,"n":2}]}`,
		`{"any":[{"x":1,"x":2}]}`, `{"labels":{"k":"a","k":"b"}}`, `{"go":"g"}`, `{"extra":"a","Extra":"b"}`,
		`{"id":"a","\u0069d":"b"}`, `{"labelſ":{}}`, `{"id":"a"}}`, `{"id":"a"} {}`, ``, ` `, `null`, `[]`, `{"id":1e400}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkDecoder[keyBody](t, b) })
}

func FuzzDecodeRegister(f *testing.F) {
	for _, s := range []string{
		`{"appKey":"ak_1","installationID":"i","platform":"IOS","appVersion":"1.0","osVersion":"17","model":"m","brand":"b","locale":"en","timezone":"UTC","tokens":{"apns":"a","fcm":"f","huawei":"h","xiaomi":"x"}}`,
		`{"appKey":"ak_1","InstallationID":"i","platform":"IOS"}`, `{"appKey":"a","appKey":"b"}`,
		`{"appKey":"a","tokens":{"fcm":"a","fcm":"b"}}`, `{"appKey":"a","tokens":{"FCM":"a"}}`, `{"tokens":null}`, `{"tokens":{}}`,
		"{\"app\u212aey\":\"a\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkDecoder[RegisterRequest](t, b) })
}

func FuzzDecodeBind(f *testing.F) {
	for _, s := range []string{`{"userID":"u","bindToken":"bt_x.y"}`, `{"userID":"u","userID":"v"}`, `{"UserID":"u"}`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkDecoder[BindRequest](t, b) })
}

func FuzzDecodeUnbind(f *testing.F) {
	for _, s := range []string{`{}`, ``, `{"a":1}`, `{}}`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkDecoder[struct{}](t, b) })
}

func FuzzDecodeTokens(f *testing.F) {
	for _, s := range []string{`{"apns":"a","fcm":"f","huawei":"h","xiaomi":"x"}`, `{"apns":""}`, `{"APNS":"a"}`, `{"fcm":"a","fcm":null}`, `{"fcm":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkDecoder[Tokens](t, b) })
}

func FuzzDecodeEvents(f *testing.F) {
	for _, s := range []string{
		`{"events":[{"messageID":"dlv_1","type":"opened","at":"2025-01-01T00:00:00Z"},{"messageID":"dlv_2","type":"arrived"}]}`,
		`{"events":[{"messageID":"m","messageID":"n"}]}`, `{"events":[{"MessageID":"m"}]}`, `{"events":[],"events":null}`,
		`{"events":[{"at":"2025-01-01T00:00:00+05:30"}]}`, `{"events":[{"at":{"a":1,"a":2}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkDecoder[EventsRequest](t, b) })
}

// checkDecoder checks decodeBody on b for a request type T: it never
// panics, refuses with the coded 400 error, agrees with the reference, and
// what it accepts is what encoding/json makes of it and survives a
// re-encoding unchanged.
func checkDecoder[T any](t *testing.T, b []byte) {
	var got T
	e := decodeBody(b, &got)
	if e != nil {
		require.Equal(t, core.CodeInvalidArgument, e.Code)
		require.NotEmpty(t, e.Message)
	}
	want, why := referenceDecode[T](b)
	require.Equal(t, why == "", e == nil, "decodeBody %v, reference: %s, for %q", e, why, b)
	if e != nil {
		return
	}
	require.Equal(t, marshal(t, want), marshal(t, got), "decodes as encoding/json does")
	var again T
	re := marshal(t, got)
	require.Nil(t, decodeBody(re, &again), "re-encoding %s", re)
	require.Equal(t, string(re), string(marshal(t, again)))
}

func marshal(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// referenceDecode says why a body is refused ("" when it is not) and
// what it decodes to.
func referenceDecode[T any](b []byte) (T, string) {
	var v T
	if len(bytes.TrimSpace(b)) == 0 {
		b = []byte("{}")
	}
	if !json.Valid(b) {
		return v, "not one JSON value"
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, "encoding/json: " + err.Error()
	}
	var tree any
	dec = json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return v, "tree: " + err.Error()
	}
	if keysInText(b) != keysInTree(tree) {
		return v, "a repeated key"
	}
	if !exactNames(tree, reflect.TypeFor[T]()) {
		return v, "a key that is not a field name"
	}
	return v, ""
}

// keysInText counts the object keys in valid JSON b: the strings that a
// colon follows.
func keysInText(b []byte) int {
	dec := json.NewDecoder(bytes.NewReader(b))
	n := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return n
		}
		if _, ok := tok.(string); ok {
			rest := bytes.TrimLeft(b[dec.InputOffset():], " \t\r\n")
			if len(rest) > 0 && rest[0] == ':' {
				n++
			}
		}
	}
}

func keysInTree(v any) int {
	n := 0
	switch v := v.(type) {
	case map[string]any:
		n += len(v)
		for _, e := range v {
			n += keysInTree(e)
		}
	case []any:
		for _, e := range v {
			n += keysInTree(e)
		}
	}
	return n
}

// exactNames reports whether every key of tree that lands on a struct is
// one of that struct's JSON names exactly.
func exactNames(tree any, t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) || t.Kind() == reflect.Interface {
		return true
	}
	switch tree := tree.(type) {
	case map[string]any:
		for k, v := range tree {
			switch t.Kind() {
			case reflect.Struct:
				ft, ok := fieldNamed(t, k)
				if !ok || !exactNames(v, ft) {
					return false
				}
			case reflect.Map:
				if !exactNames(v, t.Elem()) {
					return false
				}
			}
		}
	case []any:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for _, v := range tree {
				if !exactNames(v, t.Elem()) {
					return false
				}
			}
		}
	}
	return true
}

func fieldNamed(t reflect.Type, key string) (reflect.Type, bool) {
	for _, sf := range reflect.VisibleFields(t) {
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || name == "-" || (sf.Anonymous && name == "") {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if name == key {
			return sf.Type, true
		}
	}
	return nil, false
}
