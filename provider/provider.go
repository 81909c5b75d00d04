// Package provider turns an app's stored vendor credentials into senders
// (it implements push.Channels) and serves the vendors' receipt callbacks.
// Each vendor lives in its own package (apns, fcm, huawei, xiaomi) as a
// pure payload builder, a thin sender and an error classifier; this
// package only picks endpoints, pacing and the shared HTTP client.
package provider

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"sync"

	"golang.org/x/time/rate"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/provider/apns"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/provider/fcm"
	"github.com/pushd/pushd/provider/huawei"
	"github.com/pushd/pushd/provider/xiaomi"
	"github.com/pushd/pushd/push/core"
)

// Endpoints override the vendors' own base URLs (empty: the vendor's).
type Endpoints struct {
	APNsProduction, APNsSandbox string
	FCM, FCMAuth                string
	Huawei, HuaweiAuth          string
	Xiaomi                      string
}

// hosts returns the host of every endpoint set.
func (e Endpoints) hosts() []string {
	var out []string
	for _, raw := range []string{e.APNsProduction, e.APNsSandbox, e.FCM, e.FCMAuth, e.Huawei, e.HuaweiAuth, e.Xiaomi} {
		if u, err := url.Parse(raw); err == nil && u.Hostname() != "" {
			out = append(out, u.Hostname())
		}
	}
	return out
}

// Config is what a Registry needs.
type Config struct {
	Endpoints Endpoints
	// RootCAs are trusted for the vendors' TLS (nil: the system's).
	RootCAs *x509.CertPool
	// Egress is what vendor connections may reach beyond the public
	// internet (PUSHD_EGRESS_ALLOW). The hosts of Endpoints are added to
	// it: the operator chose them.
	Egress egress.Policy
	// Receipts, if set, names where vendors post receipts and tags jobs
	// for them (the push service).
	Receipts ReceiptTagger
	Logger   *slog.Logger
}

// ReceiptTagger gives receipt URLs and tags (push.Service).
type ReceiptTagger interface {
	ReceiptTag(configID nodeid.ID, job string) string
	ReceiptBaseURL() string
}

// Registry builds one sender per stored credential and keeps it while
// the credential is unchanged, so connections, OAuth tokens and pacing
// live as long as the credential.
type Registry struct {
	cfg     Config
	mu      sync.Mutex
	senders map[nodeid.ID]cachedSender
}

type cachedSender struct {
	version int64
	sender  core.Sender
}

// New returns a Registry.
func New(cfg Config) *Registry {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.Egress.Hosts = append(slices.Clip(cfg.Egress.Hosts), cfg.Endpoints.hosts()...)
	return &Registry{cfg: cfg, senders: map[nodeid.ID]cachedSender{}}
}

// LoadRootCAs returns the system's CAs plus those in file (PEM), or the
// system's alone when file is empty.
func LoadRootCAs(file string) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if file == "" {
		return pool, nil
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("PUSHD_PROVIDER_CA_FILE: %w", err)
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("PUSHD_PROVIDER_CA_FILE: %s holds no PEM certificate", file)
	}
	return pool, nil
}

// Check validates credentials as they are saved.
func (r *Registry) Check(_ context.Context, c core.ChannelCredentials) (map[string]any, error) {
	switch {
	case c.APNs != nil:
		return apns.Check(*c.APNs)
	case c.FCM != nil:
		return fcm.Check(*c.FCM)
	case c.Huawei != nil:
		return huawei.Check(*c.Huawei)
	case c.Xiaomi != nil:
		return xiaomi.Check(*c.Xiaomi)
	}
	return nil, core.Invalid("credentials", "give exactly one of apns, fcm, huawei and xiaomi")
}

// SetReceipts sets where Xiaomi is told to post receipts and how jobs are
// tagged for them; the push service does both, and is built after the
// Registry it uses.
func (r *Registry) SetReceipts(t ReceiptTagger) {
	r.mu.Lock()
	r.cfg.Receipts = t
	r.mu.Unlock()
}

// Sender returns the sender of a stored channel, built once per version.
func (r *Registry) Sender(_ context.Context, ch core.StoredChannel) (core.Sender, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.senders[ch.ConfigID]; ok && c.version == ch.Version {
		return c.sender, nil
	}
	s, err := r.build(ch)
	if err != nil {
		return nil, err
	}
	if old, ok := r.senders[ch.ConfigID]; ok {
		closeSender(old.sender)
	}
	r.senders[ch.ConfigID] = cachedSender{version: ch.Version, sender: s}
	return s, nil
}

// Forget drops the sender of a deleted config, and its credentials.
func (r *Registry) Forget(configID nodeid.ID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.senders[configID]; ok {
		closeSender(c.sender)
		delete(r.senders, configID)
	}
}

// Close releases every sender's connections.
func (r *Registry) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, c := range r.senders {
		closeSender(c.sender)
		delete(r.senders, id)
	}
}

func closeSender(s core.Sender) {
	if c, ok := s.(interface{ Close() }); ok {
		c.Close()
	}
}

func (r *Registry) build(ch core.StoredChannel) (core.Sender, error) {
	o := channel.Options{RootCAs: r.cfg.RootCAs, Egress: r.cfg.Egress, Logger: r.cfg.Logger.With("channel", ch.Channel, "app", ch.AppID)}
	if ch.MaxPerSecond > 0 {
		o.Pace = rate.NewLimiter(rate.Limit(ch.MaxPerSecond), ch.MaxPerSecond)
	}
	e := r.cfg.Endpoints
	c := ch.Credentials
	switch ch.Channel {
	case enum.ChannelAPNs:
		if c.APNs == nil {
			break
		}
		o.BaseURL = e.APNsProduction
		if c.APNs.Environment == core.APNsSandbox {
			o.BaseURL = e.APNsSandbox
		}
		return apns.New(*c.APNs, o)
	case enum.ChannelFCM:
		if c.FCM == nil {
			break
		}
		o.BaseURL, o.AuthURL = e.FCM, e.FCMAuth
		return fcm.New(*c.FCM, o)
	case enum.ChannelHuawei:
		if c.Huawei == nil {
			break
		}
		o.BaseURL, o.AuthURL = e.Huawei, e.HuaweiAuth
		return huawei.New(*c.Huawei, o)
	case enum.ChannelXiaomi:
		if c.Xiaomi == nil {
			break
		}
		o.BaseURL = e.Xiaomi
		if t := r.cfg.Receipts; t != nil && t.ReceiptBaseURL() != "" {
			o.CallbackURL = t.ReceiptBaseURL() + core.ReceiptPath(enum.ChannelXiaomi, ch.ConfigID)
			o.CallbackParam = func(job string) string { return t.ReceiptTag(ch.ConfigID, job) }
		}
		return xiaomi.New(*c.Xiaomi, o)
	}
	return nil, errors.New("credentials do not match channel " + string(ch.Channel))
}
