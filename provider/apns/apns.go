// Package apns sends pushes through the Apple Push Notification service
// (HTTP/2 provider API) with sideshow/apns2: Check validates a stored
// credential (a .p8 token-signing key, or a .p12 client certificate),
// Notification maps a message to an APNs request, Classify maps APNs'
// answer to a push.Result, and a Sender ties them together for one
// credential.
package apns

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/sideshow/apns2"
	"github.com/sideshow/apns2/certificate"
	"github.com/sideshow/apns2/token"
	"golang.org/x/crypto/pkcs12"
	"golang.org/x/net/http2"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Authentication kinds, as the summary names them.
const (
	authToken       = "token"
	authCertificate = "certificate"
)

// credential is a parsed push.APNsCredentials.
type credential struct {
	env, topic    string
	key           *ecdsa.PrivateKey // token authentication
	keyID, teamID string
	cert          *tls.Certificate // certificate authentication
}

// Check validates APNs credentials as they are saved and returns what the
// console may show: the authentication kind, topic and environment, and
// the key and team IDs or the certificate's subject and expiry.
func Check(c Credentials) (map[string]any, error) {
	cr, err := parse(c)
	if err != nil {
		return nil, err
	}
	sum := map[string]any{"topic": cr.topic, "environment": cr.env}
	if cr.cert == nil {
		sum["auth"] = authToken
		sum["keyID"] = cr.keyID
		sum["teamID"] = cr.teamID
		return sum, nil
	}
	leaf := cr.cert.Leaf
	now := time.Now()
	if now.After(leaf.NotAfter) {
		return nil, core.Invalid("apns.certP12", "the certificate expired on %s", leaf.NotAfter.UTC().Format(time.DateOnly))
	}
	if now.Before(leaf.NotBefore) {
		return nil, core.Invalid("apns.certP12", "the certificate is not valid before %s", leaf.NotBefore.UTC().Format(time.RFC3339))
	}
	sum["auth"] = authCertificate
	sum["subject"] = leaf.Subject.CommonName
	sum["notAfter"] = leaf.NotAfter.UTC().Format(time.RFC3339)
	return sum, nil
}

// parse checks everything about the credentials but the certificate's
// validity period (a Sender reports an expired one as a config error).
func parse(c Credentials) (*credential, error) {
	cr := &credential{env: c.Environment, topic: c.Topic}
	if c.Environment != Sandbox && c.Environment != Production {
		return nil, core.Invalid("apns.environment", "must be %s or %s, not %q", Sandbox, Production, c.Environment)
	}
	if c.Topic == "" {
		return nil, core.Invalid("apns.topic", "is required: the app's bundle ID")
	}
	if !isBundleID(c.Topic) {
		return nil, core.Invalid("apns.topic", "%q is not a bundle ID (letters, digits, '.' and '-')", c.Topic)
	}
	useToken := c.KeyP8 != "" || c.KeyID != "" || c.TeamID != ""
	useCert := len(c.CertP12) > 0 || c.CertPassword != ""
	switch {
	case useToken && useCert:
		return nil, core.Invalid("apns.certP12", "cannot be set with keyP8, keyID or teamID: use a token key or a certificate, not both")
	case useCert:
		return cr, parseCert(cr, c)
	case !useToken:
		return nil, core.Invalid("apns.keyP8", "is required: the .p8 key with its keyID and teamID (or certP12 for certificate authentication)")
	}
	if c.KeyP8 == "" {
		return nil, core.Invalid("apns.keyP8", "is required with keyID and teamID: the text of the .p8 file")
	}
	block, _ := pem.Decode([]byte(c.KeyP8))
	if block == nil {
		return nil, core.Invalid("apns.keyP8", "is not a PKCS#8 PEM EC P-256 private key: no PEM block (paste the .p8 file's text, -----BEGIN PRIVATE KEY-----)")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, core.Invalid("apns.keyP8", "is not a PKCS#8 PEM EC P-256 private key: %v", err)
	}
	ec, ok := k.(*ecdsa.PrivateKey)
	if !ok || ec.Curve != elliptic.P256() {
		return nil, core.Invalid("apns.keyP8", "is not a PKCS#8 PEM EC P-256 private key: it holds a %T", k)
	}
	if !isAppleID(c.KeyID) {
		return nil, core.Invalid("apns.keyID", "must be the key's 10-character ID (A-Z, 0-9), not %q", c.KeyID)
	}
	if !isAppleID(c.TeamID) {
		return nil, core.Invalid("apns.teamID", "must be the 10-character team ID (A-Z, 0-9), not %q", c.TeamID)
	}
	cr.key, cr.keyID, cr.teamID = ec, c.KeyID, c.TeamID
	return cr, nil
}

func parseCert(cr *credential, c Credentials) error {
	if len(c.CertP12) == 0 {
		return core.Invalid("apns.certP12", "is required with certPassword: the .p12 file")
	}
	cert, err := certificate.FromP12Bytes(c.CertP12, c.CertPassword)
	if errors.Is(err, pkcs12.ErrIncorrectPassword) {
		return core.Invalid("apns.certPassword", "does not open the .p12 file")
	}
	if err != nil {
		return core.Invalid("apns.certP12", "is not a PKCS#12 (.p12) file holding a certificate and its private key: %v", err)
	}
	pub, ok := cert.PrivateKey.(crypto.Signer)
	if !ok || cert.Leaf == nil {
		return core.Invalid("apns.certP12", "holds no usable private key")
	}
	if eq, ok := pub.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !eq.Equal(cert.Leaf.PublicKey) {
		return core.Invalid("apns.certP12", "the private key does not match the certificate")
	}
	cr.cert = &cert
	return nil
}

// isAppleID reports whether s is a 10-character key or team ID.
func isAppleID(s string) bool {
	if len(s) != 10 {
		return false
	}
	for _, c := range s {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// isBundleID reports whether s is made of what Apple allows in a bundle
// ID: letters, digits, hyphens and periods.
func isBundleID(s string) bool {
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '.' && c != '-' {
			return false
		}
	}
	return !strings.HasPrefix(s, ".") && !strings.HasSuffix(s, ".")
}

// Sender sends one credential's pushes. It keeps one HTTP/2 connection
// pool and, with token authentication, one provider token that apns2
// renews every 50 minutes. It is safe for concurrent use.
type Sender struct {
	client *apns2.Client
	token  *token.Token // nil with certificate authentication
	topic  string
	// certExpiry is when the client certificate ends (zero for tokens).
	certExpiry time.Time
	o          channel.Options
}

// New builds the sender of one stored credential. The host is o.BaseURL,
// or Apple's sandbox or production host for the credential's environment.
// o.HTTPClient is not used: APNs needs an HTTP/2 transport of its own,
// trusting o.RootCAs and presenting the client certificate, if any.
func New(c Credentials, o channel.Options) (*Sender, error) {
	cr, err := parse(c)
	if err != nil {
		return nil, err
	}
	o = o.Defaults()
	s := &Sender{topic: cr.topic, o: o}
	tlsConf := &tls.Config{RootCAs: o.RootCAs, MinVersion: tls.VersionTLS12}
	if cr.cert != nil {
		s.client = apns2.NewClient(*cr.cert)
		tlsConf.Certificates = []tls.Certificate{*cr.cert}
		s.certExpiry = cr.cert.Leaf.NotAfter
	} else {
		s.token = &token.Token{AuthKey: cr.key, KeyID: cr.keyID, TeamID: cr.teamID}
		s.client = apns2.NewTokenClient(s.token)
	}
	host := apns2.HostDevelopment
	if cr.env == Production {
		host = apns2.HostProduction
	}
	s.client.Host = o.URL(host)
	// apns2's transport, with our CAs: its dial timeout, TCP keep-alive
	// and PING health check after ReadIdleTimeout of silence.
	s.client.HTTPClient = &http.Client{
		Timeout: channel.DefaultTimeout,
		Transport: &http2.Transport{
			TLSClientConfig: tlsConf,
			DialTLSContext:  dialTLS(o.Egress),
			ReadIdleTimeout: apns2.ReadIdleTimeout,
		},
	}
	return s, nil
}

// dialTLS dials as apns2 does, through the egress policy's check.
func dialTLS(p egress.Policy) func(ctx context.Context, network, addr string, cfg *tls.Config) (net.Conn, error) {
	dial := p.Dial(&net.Dialer{Timeout: apns2.TLSDialTimeout, KeepAlive: apns2.TCPKeepAlive})
	return func(ctx context.Context, network, addr string, cfg *tls.Config) (net.Conn, error) {
		raw, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		conn := tls.Client(raw, cfg)
		if err := conn.HandshakeContext(ctx); err != nil {
			_ = raw.Close()
			return nil, err
		}
		return conn, nil
	}
}

// Close closes the sender's idle connections (call it when a new version
// of the credential replaces this sender).
func (s *Sender) Close() { s.client.CloseIdleConnections() }

// Send sends each message in its own request, o.Concurrency at a time,
// each after a token of o.Pace, and returns one result per message, in
// order.
func (s *Sender) Send(ctx context.Context, msgs []core.Outgoing) []core.Result {
	out := make([]core.Result, len(msgs))
	channel.Each(len(msgs), s.o.Concurrency, func(i int) {
		out[i] = s.send(ctx, msgs[i])
	})
	return out
}

func (s *Sender) send(ctx context.Context, m core.Outgoing) (r core.Result) {
	defer func() {
		if p := recover(); p != nil {
			r = core.Result{Outcome: core.OutcomeFailed, Reason: fmt.Sprintf("APNs: internal error: %v", p)}
		}
	}()
	if err := ctx.Err(); err != nil {
		return classifyError(err)
	}
	now := s.o.Clock()
	if !s.certExpiry.IsZero() && now.After(s.certExpiry) {
		return core.Result{Outcome: core.OutcomeConfigError,
			Reason: "APNs: the client certificate expired on " + s.certExpiry.UTC().Format(time.DateOnly)}
	}
	if !isDeviceToken(m.Token) {
		return core.Result{Outcome: core.OutcomeTokenDead, Reason: "APNs: BadDeviceToken (not a hex device token)"}
	}
	if err := s.o.Wait(ctx, 1); err != nil {
		return core.Result{Outcome: core.OutcomeRetry, Reason: "APNs: not sent: " + err.Error()}
	}
	n := Notification(m, s.topic, now)
	var bearer string
	if s.token != nil {
		bearer = s.token.GenerateIfExpired() // the token this request carries
	}
	res, err := s.client.PushWithContext(ctx, n)
	r = Classify(res, err)
	if err == nil && res != nil {
		switch res.Reason {
		case apns2.ReasonExpiredProviderToken:
			s.renewToken(ctx, bearer)
		case apns2.ReasonIdleTimeout, apns2.ReasonShutdown:
			s.client.CloseIdleConnections() // retry on a new connection
		}
	}
	return r
}

// renewToken makes apns2 sign a new provider token on the next request,
// unless another request already renewed the rejected one: APNs refuses
// tokens that change too often (TooManyProviderTokenUpdates).
func (s *Sender) renewToken(ctx context.Context, rejected string) {
	if s.token == nil {
		return
	}
	s.token.Lock()
	defer s.token.Unlock()
	if s.token.Bearer == rejected {
		s.token.IssuedAt = 0
		s.o.Logger.InfoContext(ctx, "APNs rejected the provider token as expired: signing a new one", "keyID", s.token.KeyID)
	}
}

// isDeviceToken reports whether s is a hex string, as APNs device tokens
// are (of no fixed length).
func isDeviceToken(s string) bool {
	if s == "" {
		return false
	}
	if len(s)%2 == 1 {
		s = "0" + s
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
