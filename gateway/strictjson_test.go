package gateway

import (
	"encoding/json"
	"testing"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/push/core"

	"github.com/stretchr/testify/require"
)

// keyBody exercises the shapes the rule walks: nested structs, lists of
// structs, maps, untyped values, a promoted field and an untagged one.
type keyBody struct {
	keyEmbedded
	ID     string            `json:"id"`
	Inner  *keyInner         `json:"inner,omitempty"`
	List   []keyInner        `json:"list,omitempty"`
	Labels map[string]string `json:"labels,omitempty"`
	Any    any               `json:"any,omitempty"`
	Go     string            `json:",omitempty"` // the Go name is the key
}

type keyInner struct {
	Name string `json:"name"`
	N    int    `json:"n,omitempty"`
}

type keyEmbedded struct {
	Extra string `json:"extra,omitempty"`
}

func TestDecodeBodyKeys(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in   string
		field, msg string // field and message of the refusal; "" field and msg: accepted
	}{
		{"valid", `{"id":"a","inner":{"name":"n","n":1},"list":[{"name":"x"},{"name":"y","n":2}],"labels":{"k":"v","K":"w"},"any":{"x":[{"x":1}]},"extra":"e","Go":"g"}`, "", ""},
		{"same key in sibling objects", `{"list":[{"name":"x"},{"name":"y"}],"inner":{"name":"z"}}`, "", ""},
		{"empty body", ``, "", ""},
		{"empty object", `{}`, "", ""},

		{"duplicate", `{"id":"a","id":"b"}`, "id", `duplicate key "id"`},
		{"duplicate, same value", `{"id":"a","id":"a"}`, "id", `duplicate key "id"`},
		{"duplicate spelt with an escape", `{"id":"a","\u0069d":"b"}`, "id", `duplicate key "id"`},
		{"duplicate in nested object", `{"inner":{"name":"a","n":1,"name":"b"}}`, "inner.name", `duplicate key "name"`},
		{"duplicate in list element", `{"list":[{"name":"a"},{"n":1,"n":2}]}`, "list.n", `duplicate key "n"`},
		{"duplicate object-valued", `{"inner":{"name":"a"},"inner":{"name":"b"}}`, "inner", `duplicate key "inner"`},
		{"duplicate map key", `{"labels":{"k":"a","k":"b"}}`, "labels.k", `duplicate key "k"`},
		{"duplicate in an untyped value", `{"any":[{"x":1,"x":2}]}`, "any.x", `duplicate key "x"`},
		{"duplicate promoted field", `{"extra":"a","extra":"b"}`, "extra", `duplicate key "extra"`},

		{"case variant", `{"ID":"a"}`, "ID", `unknown field "ID": field names are case-sensitive, this one is "id"`},
		{"case variant of a present key", `{"id":"a","Id":"b"}`, "Id", `unknown field "Id"`},
		{"case variant in nested object", `{"inner":{"Name":"a"}}`, "inner.Name", `unknown field "Name"`},
		{"case variant in list element", `{"list":[{"name":"a"},{"NAME":"b"}]}`, "list.NAME", `unknown field "NAME"`},
		{"case variant of a promoted field", `{"Extra":"e"}`, "Extra", `unknown field "Extra"`},
		{"case variant of a Go name", `{"go":"g"}`, "go", `this one is "Go"`},
		{"case variant after valid keys", `{"labels":{},"inner":{"n":1,"name":"a"},"list":[],"extra":"","ID":null}`, "ID", `unknown field "ID"`},
		{"Unicode fold (long s)", `{"inner":{"name":"a"},"extra":"","id":"","any":1,"labelſ":{}}`, "labelſ", `this one is "labels"`},

		{"stray brace after the object", `{"id":"a"}}`, "", "trailing data"},
		{"stray bracket after the object", `{"id":"a"}]`, "", "trailing data"},

		// What encoding/json refused already is answered as before.
		{"unknown field", `{"id":"a","color":"red"}`, "color", "unknown field"},
		{"wrong type", `{"id":7}`, "id", "must be string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got keyBody
			e := decodeBody([]byte(tc.in), &got)
			if tc.field == "" && tc.msg == "" {
				require.Nil(t, e)
				if tc.in != "" {
					var want keyBody
					require.NoError(t, json.Unmarshal([]byte(tc.in), &want))
					require.Equal(t, want, got, "a valid body decodes as encoding/json decodes it")
				}
				return
			}
			require.NotNil(t, e)
			require.Equal(t, core.CodeInvalidArgument, e.Code)
			require.Equal(t, tc.field, e.Field)
			require.Contains(t, e.Message, tc.msg)
		})
	}
}

// Each device request type refuses both, with the field named.
func TestDecodeBodyKeysRequestTypes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v          any
		in, field  string
		duplicated bool
	}{
		{&RegisterRequest{}, `{"appKey":"a","installationID":"i","platform":"IOS","InstallationID":"j"}`, "InstallationID", false},
		{&RegisterRequest{}, `{"appKey":"a","appKey":"b","installationID":"i","platform":"IOS"}`, "appKey", true},
		{&RegisterRequest{}, "{\"app\u212aey\":\"a\"}", "app\u212aey", false}, // Kelvin sign, which folds to k
		{&RegisterRequest{}, `{"appKey":"a","tokens":{"fcm":"x","fcm":"y"}}`, "tokens.fcm", true},
		{&BindRequest{}, `{"userID":"u","UserId":"v","bindToken":"t"}`, "UserId", false},
		{&BindRequest{}, `{"userID":"u","bindToken":"t","bindToken":"t"}`, "bindToken", true},
		{&struct{}{}, `{"a":1}`, "a", false},
		{&Tokens{}, `{"apns":"x","apns":""}`, "apns", true},
		{&EventsRequest{}, `{"events":[{"messageID":"m","type":"opened","Type":"ignored"}]}`, "events.Type", false},
		{&EventsRequest{}, `{"events":[{"messageID":"m","type":"opened"}],"events":[]}`, "events", true},
		{&EventsRequest{}, `{"events":[{"messageID":"m","type":"opened","at":"2025-01-01T00:00:00Z","at":"2025-01-02T00:00:00Z"}]}`, "events.at", true},
	} {
		e := decodeBody([]byte(tc.in), tc.v)
		require.NotNil(t, e, tc.in)
		require.Equal(t, core.CodeInvalidArgument, e.Code, tc.in)
		require.Equal(t, tc.field, e.Field, tc.in)
		if tc.duplicated {
			require.Contains(t, e.Message, "duplicate key", tc.in)
		} else {
			require.Contains(t, e.Message, "unknown field", tc.in)
		}
	}
}

// Token keys are the vendors' keys exactly: a case-folded or unknown key
// is refused by name, as decoding refuses a struct's.
func TestTokensByChannel(t *testing.T) {
	t.Parallel()
	tok := "t"
	for key, ok := range map[string]bool{"fcm": true, "apns": true, "FCM": false, "APNs": false, "self": false, "SELF": false, "nope": false, "": false} {
		got, err := Tokens{key: &tok}.byChannel("tokens.")
		if ok {
			require.NoError(t, err, key)
			require.Equal(t, map[enum.Channel]string{core.ChannelOfKey(key): "t"}, got)
			continue
		}
		e, isCoded := core.AsError(err)
		require.True(t, isCoded, key)
		require.Equal(t, core.CodeInvalidArgument, e.Code)
		require.Equal(t, "tokens."+key, e.Field)
	}
	got, err := Tokens{"fcm": nil}.byChannel("")
	require.NoError(t, err)
	require.Empty(t, got, "null leaves the token as it is")
}
