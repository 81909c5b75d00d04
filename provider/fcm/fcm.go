// Package fcm sends pushes through Firebase Cloud Messaging (HTTP v1) with
// the Firebase Admin SDK (firebase.google.com/go/v4/messaging).
//
// One Sender serves one stored service account: it holds one messaging
// client, whose HTTP client adds an OAuth2 access token obtained with the
// service account's key (JWT-bearer grant, scope firebase.messaging) and
// cached until shortly before it expires. The token endpoint is Google's,
// or Options.AuthURL from pushd's configuration: never the key file's
// token_uri, which a tenant writes (a key file whose token_uri is not
// Google's is refused). The token endpoint and FCM are both reached
// through channel.Options' HTTP client, so both trust Options.RootCAs and
// pass its egress check; Options.BaseURL replaces
// https://fcm.googleapis.com/v1.
//
// Send hands the messages to the SDK's SendEach in chunks of at most 500
// (one HTTP request per message, up to 50 in flight), after taking one
// pacing token per message. Message is the pure payload builder and
// Classify the pure error classifier.
//
// Retries inside the SDK: every request that fails at the network level
// (reset, refused, timeout) or with 503 is retried by the SDK itself up to
// 4 times, after 0 s, 1 s, 2 s and 4 s, or after the answer's Retry-After
// when it asks for longer; a Retry-After above 2 minutes ends the retries
// at once (pushd then waits for it). With the 30 s request timeout, one
// message can therefore take up to about 5×30 s + 4×2 min ≈ 10.5 minutes
// before Send sees its outcome: bound Send with a context deadline. When
// the context ends, the messages not yet answered come back OutcomeRetry.
// Other statuses (429, 500, 4xx) are not retried by the SDK. Send itself
// retries once, with a fresh access token, the messages FCM refused with
// 401 UNAUTHENTICATED (no FcmError detail: a revoked or expired token);
// a second refusal is a configuration error.
package fcm

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"

	"firebase.google.com/go/v4/errorutils"
	"firebase.google.com/go/v4/messaging"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	"golang.org/x/oauth2/jwt"
	"google.golang.org/api/option"
)

// Scope is the OAuth2 scope of FCM sends.
const Scope = "https://www.googleapis.com/auth/firebase.messaging"

// DefaultAuthURL is Google's OAuth token endpoint.
const DefaultAuthURL = "https://oauth2.googleapis.com/token"

// googleTokenURIs are the token_uri values Google's key files carry, old
// and new: a key file with any other is refused at save time.
var googleTokenURIs = []string{
	DefaultAuthURL,
	"https://accounts.google.com/o/oauth2/token",
	"https://www.googleapis.com/oauth2/v4/token",
}

// DefaultURL is FCM HTTP v1's base URL.
const DefaultURL = "https://fcm.googleapis.com/v1"

// maxBatch is the most messages one SendEach takes.
const maxBatch = 500

const field = "fcm.serviceAccountJSON"

// serviceAccount is the part of a service account key file pushd needs.
type serviceAccount struct {
	Type         string `json:"type"`
	ProjectID    string `json:"project_id"`
	PrivateKeyID string `json:"private_key_id"`
	PrivateKey   string `json:"private_key"`
	ClientEmail  string `json:"client_email"`
	TokenURI     string `json:"token_uri"`
}

func parse(c Credentials) (serviceAccount, error) {
	var sa serviceAccount
	if c.ServiceAccountJSON == "" {
		return sa, core.Invalid(field, "is empty: paste the service account's JSON key file")
	}
	if err := json.Unmarshal([]byte(c.ServiceAccountJSON), &sa); err != nil {
		return sa, core.Invalid(field, "is not a JSON key file: %v", err)
	}
	switch {
	case sa.Type != "service_account":
		return sa, core.Invalid(field, "has type %q: want a \"service_account\" key file", sa.Type)
	case sa.ProjectID == "":
		return sa, core.Invalid(field, "has no project_id")
	case sa.ClientEmail == "":
		return sa, core.Invalid(field, "has no client_email")
	case sa.PrivateKey == "":
		return sa, core.Invalid(field, "has no private_key")
	case sa.TokenURI == "":
		return sa, core.Invalid(field, "has no token_uri")
	}
	if !slices.Contains(googleTokenURIs, sa.TokenURI) {
		return sa, core.Invalid(field, "has token_uri %q: want Google's %s (pushd reaches the token endpoint its configuration names, never one from a key file)",
			sa.TokenURI, DefaultAuthURL)
	}
	if err := checkKey(sa.PrivateKey); err != nil {
		return sa, core.Invalid(field, "has a private_key that %v", err)
	}
	return sa, nil
}

// checkKey checks that a private key is an RSA key in PEM (PKCS#8, or
// PKCS#1 as older files have), as the OAuth library reads it.
func checkKey(s string) error {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return errors.New("is not PEM")
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		if _, ok := k.(*rsa.PrivateKey); !ok {
			return fmt.Errorf("is a %T, not an RSA private key", k)
		}
		return nil
	}
	if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err != nil {
		return errors.New("is not an RSA private key (PKCS#8 or PKCS#1)")
	}
	return nil
}

// Check validates a service account key file and returns its summary:
// project ID, client email and private key ID.
func Check(c Credentials) (map[string]any, error) {
	sa, err := parse(c)
	if err != nil {
		return nil, err
	}
	return map[string]any{"projectID": sa.ProjectID, "clientEmail": sa.ClientEmail, "privateKeyID": sa.PrivateKeyID}, nil
}

// Sender sends through FCM with one service account. It is safe for
// concurrent use.
type Sender struct {
	o      channel.Options
	client *messaging.Client
	tokens *tokenSource
}

// New builds the sender of a service account.
func New(c Credentials, o channel.Options) (*Sender, error) {
	sa, err := parse(c)
	if err != nil {
		return nil, err
	}
	o = o.Defaults()
	conf, err := google.JWTConfigFromJSON([]byte(c.ServiceAccountJSON), Scope)
	if err != nil {
		return nil, core.Invalid(field, "%v", err)
	}
	conf.TokenURL = o.AuthURL
	if conf.TokenURL == "" {
		conf.TokenURL = DefaultAuthURL
	}
	// The token endpoint is reached with the same client (and CAs) as FCM.
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, o.HTTPClient)
	ts := &tokenSource{conf: conf, ctx: ctx, src: conf.TokenSource(ctx)}
	hc := &http.Client{
		Transport: &oauth2.Transport{Source: ts, Base: o.HTTPClient.Transport},
		Timeout:   o.HTTPClient.Timeout,
	}
	client, err := newMessagingClient(ctx, sa.ProjectID, option.WithHTTPClient(hc), option.WithEndpoint(o.URL(DefaultURL)))
	if err != nil {
		return nil, err
	}
	return &Sender{o: o, client: client, tokens: ts}, nil
}

// Send sends each message and returns one result per message, in order.
func (s *Sender) Send(ctx context.Context, msgs []core.Outgoing) (res []core.Result) {
	res = make([]core.Result, len(msgs))
	for i := range res {
		res[i] = retry("FCM: not sent", 0)
	}
	defer func() {
		if p := recover(); p != nil {
			s.o.Logger.ErrorContext(ctx, "fcm: send panicked", "panic", p)
		}
	}()
	idx := make([]int, len(msgs))
	for i := range idx {
		idx[i] = i
	}
	gen := s.tokens.generation()
	if stale := s.send(ctx, msgs, idx, res); len(stale) > 0 && ctx.Err() == nil {
		// FCM refused the access token: fetch a new one and try once more.
		s.tokens.renew(gen)
		s.send(ctx, msgs, stale, res)
	}
	return res
}

// send sends msgs[i] for each i of idx, sets res[i], and returns those FCM
// refused for their access token.
func (s *Sender) send(ctx context.Context, msgs []core.Outgoing, idx []int, res []core.Result) (stale []int) {
	now := s.o.Clock()
	fail := func(idx []int, r core.Result) {
		for _, i := range idx {
			res[i] = r
		}
	}
	if err := ctx.Err(); err != nil {
		fail(idx, Classify(err, now))
		return nil
	}
	// A refused service account fails every message at once, instead of
	// each request fetching (and the SDK retrying) a token in vain.
	if _, err := s.tokens.Token(); err != nil {
		fail(idx, Classify(err, now))
		return nil
	}
	for start := 0; start < len(idx); start += maxBatch {
		part := idx[start:min(start+maxBatch, len(idx))]
		if err := s.o.Wait(ctx, len(part)); err != nil {
			fail(idx[start:], retry("FCM: not sent: pacing: "+err.Error(), 0))
			return stale
		}
		errs := s.sendEach(ctx, msgs, part, now)
		for j, i := range part {
			res[i] = Classify(errs[j], now)
			if staleToken(errs[j]) {
				stale = append(stale, i)
			}
		}
	}
	return stale
}

var errEmptyToken = errors.New("the registration token is empty")

// sendEach sends one chunk and returns each message's error.
func (s *Sender) sendEach(ctx context.Context, msgs []core.Outgoing, part []int, now time.Time) []error {
	errs := make([]error, len(part))
	batch := make([]*messaging.Message, 0, len(part))
	pos := make([]int, 0, len(part))
	for j, i := range part {
		if msgs[i].Token == "" {
			errs[j] = errEmptyToken
			continue
		}
		batch = append(batch, Message(msgs[i], now))
		pos = append(pos, j)
	}
	if len(batch) == 0 {
		return errs
	}
	br, err := s.client.SendEach(ctx, batch)
	if err == nil && len(br.Responses) == len(batch) {
		for k, r := range br.Responses {
			switch {
			case r == nil:
				errs[pos[k]] = errors.New("no response from the SDK")
			case !r.Success:
				errs[pos[k]] = r.Error
			}
		}
		return errs
	}
	// The SDK refuses a whole batch when one message fails its checks:
	// send them one by one, so only that one fails.
	channel.Each(len(batch), s.o.Concurrency, func(k int) {
		_, errs[pos[k]] = s.client.Send(ctx, batch[k])
	})
	return errs
}

// staleToken tells FCM's refusal of the access token (401 without a
// FcmError detail) from the other errors.
func staleToken(err error) bool {
	return err != nil && errorutils.HTTPResponse(err) != nil && errorutils.IsUnauthenticated(err) && fcmCode(err) == ""
}

// tokenSource caches access tokens and can drop a token FCM refused.
type tokenSource struct {
	conf *jwt.Config
	ctx  context.Context

	mu  sync.Mutex
	src oauth2.TokenSource
	gen uint64
}

func (t *tokenSource) Token() (*oauth2.Token, error) {
	t.mu.Lock()
	src := t.src
	t.mu.Unlock()
	return src.Token()
}

func (t *tokenSource) generation() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.gen
}

// renew drops the cached token, unless it was renewed since gen.
func (t *tokenSource) renew(gen uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.gen == gen {
		t.src = t.conf.TokenSource(t.ctx)
		t.gen++
	}
}
