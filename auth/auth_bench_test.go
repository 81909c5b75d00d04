package auth_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/auth"
	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/auth/signature"
	"github.com/pushd/pushd/ent/apikey"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/tenant"
)

// BenchmarkAuthenticateSigned measures what one signed request costs the
// server end to end: header parsing, the key lookup in PostgreSQL,
// unsealing or parsing the key, verification over a 1 KiB body and the
// nonce claim in Redis.
func BenchmarkAuthenticateSigned(b *testing.B) {
	stores := testenv.Stores(b)
	key, err := seal.NewKey()
	require.NoError(b, err)
	sealer, err := seal.New(key)
	require.NoError(b, err)
	svc, err := auth.NewService(auth.Config{Client: stores.Ent, Sealer: sealer, Redis: stores.Redis, RedisPrefix: "pushdbench:"})
	require.NoError(b, err)
	ctx := tenant.NewContext(context.Background(), tenant.System())
	app, err := stores.Ent.App.Create().SetName("bench").SetAppKey("ak_bench").Save(ctx)
	require.NoError(b, err)
	body := []byte(`{"query":"` + strings.Repeat("x", 1000) + `"}`)

	pemOf := func(pub any) string {
		der, err := x509.MarshalPKIXPublicKey(pub)
		require.NoError(b, err)
		return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	}
	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	rsaPriv, _ := rsa.GenerateKey(rand.Reader, 2048)
	for _, tc := range []struct {
		name   string
		alg    apikey.Algorithm
		pub    string
		signer signature.Signer
	}{
		{"HMAC", apikey.AlgorithmHMAC_SHA256, "", signature.Signer{Algorithm: signature.HMACSHA256}},
		{"Ed25519", apikey.AlgorithmED25519, pemOf(edPub), signature.Signer{Algorithm: signature.Ed25519, PrivateKey: edPriv}},
		{"RSA2048", apikey.AlgorithmRSA_SHA256, pemOf(&rsaPriv.PublicKey), signature.Signer{Algorithm: signature.RSASHA256, PrivateKey: rsaPriv}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			k, secret, err := svc.CreateAPIKey(ctx, auth.NewAPIKey{AppID: app.ID, Name: tc.name, Algorithm: tc.alg, PublicKey: tc.pub})
			require.NoError(b, err)
			s := tc.signer
			s.KeyID, s.Secret = k.KeyID, secret
			headers := make([]http.Header, b.N)
			for i := range headers {
				headers[i], err = s.Headers(http.MethodPost, "/graphql", body)
				require.NoError(b, err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if _, err := svc.AuthenticateSigned(ctx, headers[i], http.MethodPost, "/graphql", body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
