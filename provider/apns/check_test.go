package apns

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"testing"

	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"

	"github.com/stretchr/testify/require"
)

// p8 returns the PEM text of a PKCS#8 key, as in a .p8 file.
func p8(t *testing.T, key any) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func tokenCreds(t *testing.T) Credentials {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return Credentials{
		Environment: Sandbox, Topic: "com.example.pushd",
		KeyP8: p8(t, key), KeyID: "ABC123DEFG", TeamID: "TEAM123456",
	}
}

func certCreds(t *testing.T, file, password string) Credentials {
	t.Helper()
	p12, err := os.ReadFile("testdata/" + file)
	require.NoError(t, err)
	return Credentials{
		Environment: Production, Topic: "com.example.pushd",
		CertP12: p12, CertPassword: password,
	}
}

func TestCheckToken(t *testing.T) {
	t.Parallel()
	c := tokenCreds(t)
	sum, err := Check(c)
	require.NoError(t, err)
	require.Equal(t, map[string]any{
		"auth": "token", "keyID": "ABC123DEFG", "teamID": "TEAM123456",
		"topic": "com.example.pushd", "environment": "SANDBOX",
	}, sum)
}

func TestCheckCertificate(t *testing.T) {
	t.Parallel()
	sum, err := Check(certCreds(t, "cert-valid.p12", "secret"))
	require.NoError(t, err)
	require.Equal(t, map[string]any{
		"auth":        "certificate",
		"subject":     "Apple Development IOS Push Services: com.example.pushd",
		"notAfter":    "2125-01-01T00:00:00Z",
		"topic":       "com.example.pushd",
		"environment": "PRODUCTION",
	}, sum)
}

func TestCheckInvalid(t *testing.T) {
	t.Parallel()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	sec1, err := x509.MarshalECPrivateKey(p256)
	require.NoError(t, err)

	rows := []struct {
		name   string
		change func(c *Credentials)
		field  string
	}{
		{"environment", func(c *Credentials) { c.Environment = "DEV" }, "apns.environment"},
		{"no topic", func(c *Credentials) { c.Topic = "" }, "apns.topic"},
		{"bad topic", func(c *Credentials) { c.Topic = "com.example/app" }, "apns.topic"},
		{"no auth", func(c *Credentials) { *c = Credentials{Environment: "SANDBOX", Topic: "a.b"} }, "apns.keyP8"},
		{"both auths", func(c *Credentials) { c.CertP12 = []byte("x") }, "apns.certP12"},
		{"no key", func(c *Credentials) { c.KeyP8 = "" }, "apns.keyP8"},
		{"key not PEM", func(c *Credentials) { c.KeyP8 = "MIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg" }, "apns.keyP8"},
		{"key garbage PEM", func(c *Credentials) {
			c.KeyP8 = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("nope")}))
		}, "apns.keyP8"},
		{"key SEC1 not PKCS#8", func(c *Credentials) {
			c.KeyP8 = string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1}))
		}, "apns.keyP8"},
		{"key RSA", func(c *Credentials) { c.KeyP8 = p8(t, rsaKey) }, "apns.keyP8"},
		{"key P-384", func(c *Credentials) { c.KeyP8 = p8(t, p384) }, "apns.keyP8"},
		{"key ID short", func(c *Credentials) { c.KeyID = "ABC123" }, "apns.keyID"},
		{"key ID lower case", func(c *Credentials) { c.KeyID = "abc123defg" }, "apns.keyID"},
		{"team ID", func(c *Credentials) { c.TeamID = "TEAM-12345" }, "apns.teamID"},
		{"no team ID", func(c *Credentials) { c.TeamID = "" }, "apns.teamID"},
		{"password without p12", func(c *Credentials) {
			*c = Credentials{Environment: "SANDBOX", Topic: "a.b", CertPassword: "x"}
		}, "apns.certP12"},
		{"p12 garbage", func(c *Credentials) {
			*c = Credentials{Environment: "SANDBOX", Topic: "a.b", CertP12: []byte("not a p12")}
		}, "apns.certP12"},
		{"p12 wrong password", func(c *Credentials) { *c = certCreds(t, "cert-valid.p12", "wrong") }, "apns.certPassword"},
		{"p12 expired", func(c *Credentials) { *c = certCreds(t, "cert-expired.p12", "") }, "apns.certP12"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			c := tokenCreds(t)
			row.change(&c)
			sum, err := Check(c)
			require.Nil(t, sum)
			e, ok := core.AsError(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, core.CodeInvalidArgument, e.Code)
			require.Equal(t, row.field, e.Field, e.Message)
			require.NotEmpty(t, e.Message)
			if row.field == "apns.keyP8" && row.name != "no key" && row.name != "no auth" {
				require.Contains(t, e.Message, "is not a PKCS#8 PEM EC P-256 private key")
			}
			// New refuses the same credentials, but for a certificate's
			// dates (a sender reports those as a config error).
			if row.name != "p12 expired" {
				_, err = New(c, channel.Options{})
				_, ok = core.AsError(err)
				require.True(t, ok, "%v", err)
			}
		})
	}
}

// The summary never carries key material.
func TestCheckSummaryHasNoSecret(t *testing.T) {
	t.Parallel()
	c := tokenCreds(t)
	sum, err := Check(c)
	require.NoError(t, err)
	for _, v := range sum {
		require.NotContains(t, v, "PRIVATE KEY")
	}
}
