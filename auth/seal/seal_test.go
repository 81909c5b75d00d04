package seal

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func testKey(t testing.TB, fill byte) []byte {
	t.Helper()
	return bytes.Repeat([]byte{fill}, KeySize)
}

func newSealer(t testing.TB, current []byte, previous ...[]byte) *Sealer {
	t.Helper()
	s, err := New(current, previous...)
	require.NoError(t, err)
	return s
}

var testAD = AD{AppID: "app_1", Kind: "webhook.secret", RecordID: "rec_1"}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	s := newSealer(t, testKey(t, 1))
	for _, pt := range [][]byte{[]byte("whsec_abc123"), {}, bytes.Repeat([]byte{0xff}, 4096)} {
		sealed, err := s.Seal(pt, testAD)
		require.NoError(t, err)
		require.Len(t, sealed, headerSize+len(pt)+tagSize)
		require.Equal(t, byte(version), sealed[0])
		got, err := s.Open(sealed, testAD)
		require.NoError(t, err)
		require.Equal(t, len(pt), len(got))
		require.True(t, bytes.Equal(pt, got))
		require.False(t, s.NeedsReseal(sealed))
	}
}

func TestADMismatch(t *testing.T) {
	t.Parallel()
	s := newSealer(t, testKey(t, 1))
	sealed, err := s.Seal([]byte("secret"), testAD)
	require.NoError(t, err)

	cases := map[string]AD{
		"app":       {AppID: "app_2", Kind: testAD.Kind, RecordID: testAD.RecordID},
		"kind":      {AppID: testAD.AppID, Kind: "apikey.secret", RecordID: testAD.RecordID},
		"record":    {AppID: testAD.AppID, Kind: testAD.Kind, RecordID: "rec_2"},
		"empty":     {},
		"shift a|k": {AppID: testAD.AppID + "w", Kind: strings.TrimPrefix(testAD.Kind, "w"), RecordID: testAD.RecordID},
		"shift k|r": {AppID: testAD.AppID, Kind: testAD.Kind + "r", RecordID: strings.TrimPrefix(testAD.RecordID, "r")},
	}
	for name, ad := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := s.Open(sealed, ad)
			require.ErrorIs(t, err, ErrOpen)
			require.Nil(t, got)
		})
	}
}

func TestWrongKey(t *testing.T) {
	t.Parallel()
	sealed, err := newSealer(t, testKey(t, 1)).Seal([]byte("secret"), testAD)
	require.NoError(t, err)
	other := newSealer(t, testKey(t, 2))
	_, err = other.Open(sealed, testAD)
	require.ErrorIs(t, err, ErrOpen)
	require.False(t, other.NeedsReseal(sealed))

	// A forged header naming the right key ID must still fail authentication.
	forged := bytes.Clone(sealed)
	copy(forged[1:1+keyIDSize], other.currentID[:])
	_, err = other.Open(forged, testAD)
	require.ErrorIs(t, err, ErrOpen)
}

func TestRotation(t *testing.T) {
	t.Parallel()
	oldKey, newKey := testKey(t, 1), testKey(t, 2)
	sealed, err := newSealer(t, oldKey).Seal([]byte("secret"), testAD)
	require.NoError(t, err)

	rotated := newSealer(t, newKey, oldKey)
	require.True(t, rotated.NeedsReseal(sealed))
	got, err := rotated.Open(sealed, testAD)
	require.NoError(t, err)
	require.Equal(t, []byte("secret"), got)

	resealed, err := rotated.Seal(got, testAD)
	require.NoError(t, err)
	require.False(t, rotated.NeedsReseal(resealed))
	_, err = newSealer(t, newKey).Open(resealed, testAD)
	require.NoError(t, err)
	_, err = newSealer(t, oldKey).Open(resealed, testAD)
	require.ErrorIs(t, err, ErrOpen)
}

func TestNewValidation(t *testing.T) {
	t.Parallel()
	_, err := New(make([]byte, 16))
	require.Error(t, err)
	_, err = New(testKey(t, 1), make([]byte, 31))
	require.Error(t, err)
	// Listing the current key again as a previous one is harmless.
	_, err = New(testKey(t, 1), testKey(t, 1), testKey(t, 2), testKey(t, 2))
	require.NoError(t, err)

	var zero Sealer
	_, err = zero.Seal([]byte("x"), testAD)
	require.Error(t, err)
	_, err = zero.Open(make([]byte, 64), testAD)
	require.ErrorIs(t, err, ErrOpen)
	require.False(t, zero.NeedsReseal(make([]byte, 64)))
}

func TestTamper(t *testing.T) {
	t.Parallel()
	s := newSealer(t, testKey(t, 1), testKey(t, 2))
	sealed, err := s.Seal([]byte("credential"), testAD)
	require.NoError(t, err)

	for i := range sealed {
		for _, mask := range []byte{0x01, 0x80, 0xff} {
			bad := bytes.Clone(sealed)
			bad[i] ^= mask
			got, err := s.Open(bad, testAD)
			require.ErrorIs(t, err, ErrOpen, "byte %d mask %#x", i, mask)
			require.Nil(t, got)
		}
	}
	for n := range len(sealed) {
		_, err := s.Open(sealed[:n], testAD)
		require.ErrorIs(t, err, ErrOpen, "truncated to %d", n)
	}
	_, err = s.Open(append(bytes.Clone(sealed), 0), testAD)
	require.ErrorIs(t, err, ErrOpen, "extended")
}

func TestNonceUniqueness(t *testing.T) {
	t.Parallel()
	s := newSealer(t, testKey(t, 1))
	a, err := s.Seal([]byte("same"), testAD)
	require.NoError(t, err)
	b, err := s.Seal([]byte("same"), testAD)
	require.NoError(t, err)
	require.NotEqual(t, a, b)
	require.NotEqual(t, a[1+keyIDSize:headerSize], b[1+keyIDSize:headerSize])
}

func TestParseKey(t *testing.T) {
	t.Parallel()
	key := make([]byte, KeySize)
	for i := range key {
		key[i] = byte(0xf0 + i) // high bytes exercise the +/ vs -_ alphabets
	}
	cases := []struct {
		name string
		in   string
		ok   bool
	}{
		{"std base64", base64.StdEncoding.EncodeToString(key), true},
		{"std base64 no padding", base64.RawStdEncoding.EncodeToString(key), true},
		{"url base64", base64.URLEncoding.EncodeToString(key), true},
		{"url base64 no padding", base64.RawURLEncoding.EncodeToString(key), true},
		{"hex", hex.EncodeToString(key), true},
		{"hex upper", strings.ToUpper(hex.EncodeToString(key)), true},
		{"trailing newline", base64.StdEncoding.EncodeToString(key) + "\n", true},
		{"too short base64", base64.StdEncoding.EncodeToString(key[:31]), false},
		{"too long base64", base64.StdEncoding.EncodeToString(append(bytes.Clone(key), 0)), false},
		{"too short hex", hex.EncodeToString(key[:31]), false},
		{"garbage", "not a key at all, definitely not!!!!!!!!!!!", false},
		{"empty", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseKey(tc.in)
			if tc.ok {
				require.NoError(t, err)
				require.Equal(t, key, got)
				return
			}
			require.Error(t, err)
			require.Nil(t, got)
			require.Contains(t, err.Error(), "32 bytes")
			if tc.in != "" {
				require.NotContains(t, err.Error(), strings.TrimSpace(tc.in))
			}
		})
	}
}

func TestNewKey(t *testing.T) {
	t.Parallel()
	a, err := NewKey()
	require.NoError(t, err)
	b, err := NewKey()
	require.NoError(t, err)
	require.Len(t, a, KeySize)
	require.NotEqual(t, a, b)
}

func TestLoadOrCreateKeyFile(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "keys")
	path := filepath.Join(dir, "master.key")

	key, created, err := LoadOrCreateKeyFile(path)
	require.NoError(t, err)
	require.True(t, created)
	require.Len(t, key, KeySize)

	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	di, err := os.Stat(dir)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o700), di.Mode().Perm())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "temp file left behind")

	again, created, err := LoadOrCreateKeyFile(path)
	require.NoError(t, err)
	require.False(t, created)
	require.Equal(t, key, again)

	_, err = New(key)
	require.NoError(t, err)
}

func TestLoadOrCreateKeyFileRefusesLooseMode(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "master.key")
	encoded := base64.StdEncoding.EncodeToString(testKey(t, 7))
	require.NoError(t, os.WriteFile(path, []byte(encoded+"\n"), 0o600))
	require.NoError(t, os.Chmod(path, 0o644)) // explicit: umask may have masked WriteFile's mode

	key, created, err := LoadOrCreateKeyFile(path)
	require.Error(t, err)
	require.False(t, created)
	require.Nil(t, key)
	require.Contains(t, err.Error(), "chmod 600")
	require.NotContains(t, err.Error(), encoded)

	// Refusal must not clobber the existing key.
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, encoded+"\n", string(data))
}

func TestLoadOrCreateKeyFileRejectsBadContents(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "master.key")
	require.NoError(t, os.WriteFile(path, []byte("hunter2\n"), 0o600))
	_, _, err := LoadOrCreateKeyFile(path)
	require.Error(t, err)
	require.NotContains(t, err.Error(), "hunter2")
}

func FuzzOpen(f *testing.F) {
	s := newSealer(f, testKey(f, 1), testKey(f, 2))
	prev := newSealer(f, testKey(f, 2))
	for _, sl := range []*Sealer{s, prev} {
		sealed, err := sl.Seal([]byte("seed"), testAD)
		require.NoError(f, err)
		f.Add(sealed, testAD.AppID, testAD.Kind, testAD.RecordID)
	}
	f.Add([]byte{}, "", "", "")
	f.Add([]byte{version}, "a", "b", "c")
	f.Add(make([]byte, minSize), "", "", "")

	f.Fuzz(func(t *testing.T, data []byte, app, kind, rec string) {
		ad := AD{AppID: app, Kind: kind, RecordID: rec}
		pt, err := s.Open(data, ad)
		if err != nil {
			require.ErrorIs(t, err, ErrOpen)
			require.Nil(t, pt)
		}
		_ = s.NeedsReseal(data)
	})
}

func TestLoadOrCreateKeyFileConcurrent(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "keys", "master.key")
	const n = 8
	keys := make([][]byte, n)
	errs := make([]error, n)
	done := make(chan int)
	for i := range n {
		go func() {
			keys[i], _, errs[i] = LoadOrCreateKeyFile(path)
			done <- i
		}()
	}
	for range n {
		<-done
	}
	for i := range n {
		require.NoError(t, errs[i])
		require.Equal(t, keys[0], keys[i], "racing creators must agree on one key")
	}
	onDisk, created, err := LoadOrCreateKeyFile(path)
	require.NoError(t, err)
	require.False(t, created)
	require.Equal(t, keys[0], onDisk)
}

func TestMAC(t *testing.T) {
	t.Parallel()
	k1, k2 := make([]byte, 32), make([]byte, 32)
	k2[0] = 1
	old, err := New(k1)
	require.NoError(t, err)
	rotated, err := New(k2, k1)
	require.NoError(t, err)
	msg := []byte("device+user+expiry")

	mac := old.MAC("bind-token", msg)
	require.True(t, old.VerifyMAC("bind-token", msg, mac))
	require.True(t, rotated.VerifyMAC("bind-token", msg, mac), "a previous key still verifies")
	require.False(t, old.VerifyMAC("other-purpose", msg, mac), "purposes are separate")
	require.False(t, old.VerifyMAC("bind-token", []byte("device+user+expirz"), mac))
	require.NotEqual(t, mac, rotated.MAC("bind-token", msg), "new MACs use the current key")
	require.False(t, old.VerifyMAC("bind-token", msg, rotated.MAC("bind-token", msg)))
	require.False(t, (*Sealer)(nil).VerifyMAC("bind-token", msg, mac))
}
