package provider

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/push/core"
)

func TestReceiptTags(t *testing.T) {
	t.Parallel()
	sealer, err := seal.New(make([]byte, 32))
	require.NoError(t, err)
	r := New(Config{MAC: sealer.MAC})
	const job = "job_01JABCDEFGHJKMNPQRSTVWXYZ0"
	tag := r.receiptTag("chc_1", job)
	require.LessOrEqual(t, len(tag), 64, "the strictest vendor's limit on an echoed tag")
	got, ok := r.CheckReceiptTag("chc_1", tag)
	require.True(t, ok)
	require.Equal(t, job, got)
	for _, forged := range []string{tag + "x", "job_01JABCDEFGHJKMNPQRSTVWXYZ1" + tag[len(job):], "job_x", ""} {
		_, ok := r.CheckReceiptTag("chc_1", forged)
		require.False(t, ok, forged)
	}
	_, ok = r.CheckReceiptTag("chc_2", tag)
	require.False(t, ok, "bound to its config")
	_, ok = New(Config{}).CheckReceiptTag("chc_1", tag)
	require.False(t, ok, "no key, no genuine tag")
}

func TestRegistryNamesVendorsByKey(t *testing.T) {
	t.Parallel()
	r := New(Config{PublicURL: "https://push.example.com/"})
	seen := map[string]bool{}
	for _, v := range r.Vendors() {
		key := core.ChannelKey(v.Channel())
		require.False(t, seen[key], "one vendor per key")
		seen[key] = true
		require.Equal(t, v.Channel(), core.ChannelOfKey(key))
		d := v.Describe()
		require.NotEmpty(t, d.Name)
		require.NotEmpty(t, d.Platforms, key)
		require.NotEmpty(t, d.Fields, key)
		if d.Receipts != "" {
			require.Equal(t, "https://push.example.com/vendor/v1/"+key+"/chc_1/receipts", r.ReceiptURL(v.Channel(), "chc_1"))
		} else {
			require.Empty(t, r.ReceiptURL(v.Channel(), "chc_1"), "%s posts no receipts", key)
		}
	}
	require.Equal(t, len(r.Vendors()), len(r.Preference()))
	_, err := r.Check(t.Context(), core.Credentials{})
	e, ok := core.AsError(err)
	require.True(t, ok)
	require.Equal(t, "credentials", e.Field)
	require.Contains(t, e.Message, "give exactly one of ")
	_, err = r.Check(t.Context(), core.Credentials{Channel: enum.Channel("NOPE"), JSON: []byte(`{}`)})
	require.Error(t, err)
}

func TestEndpointVars(t *testing.T) {
	t.Parallel()
	vars := EndpointVars(Vendors())
	require.NotEmpty(t, vars)
	seen := map[string]bool{}
	for _, v := range vars {
		require.Regexp(t, `^PUSHD_[A-Z0-9_]+_URL$`, v.Env)
		require.False(t, seen[v.Env], v.Env)
		seen[v.Env] = true
		require.Contains(t, v.Help, "Unset: https://")
	}
}

// The vendors' endpoint settings are documented with the others.
func TestDocsListEveryEndpointVar(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../docs/configuration.md")
	require.NoError(t, err)
	for _, v := range EndpointVars(Vendors()) {
		require.Contains(t, string(doc), "`"+v.Env+"`", "docs/configuration.md lists %s", v.Env)
		require.Contains(t, string(doc), "`-"+v.Flag+"`", "docs/configuration.md lists -%s", v.Flag)
	}
}
