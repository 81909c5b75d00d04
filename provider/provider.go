// Package provider is pushd's vendor registry: it turns an app's stored
// vendor credentials into senders (it implements core.Channels) and serves
// the vendors' receipt callbacks. Each vendor lives in its own package as
// a channel.Vendor: a pure payload builder, a thin sender and an error
// classifier; Vendors lists them. This package only picks endpoints,
// pacing, receipt URLs and the shared HTTP client.
package provider

import (
	"context"
	"crypto/hmac"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"

	"golang.org/x/time/rate"

	"github.com/pushd/pushd/config"
	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Config is what a Registry needs.
type Config struct {
	// Vendors are the channels served, in preference order; nil: Vendors().
	Vendors []channel.Vendor
	// Endpoints override the vendors' own URLs, by environment variable
	// (EndpointVars); absent or empty: the vendor's.
	Endpoints map[string]string
	// RootCAs are trusted for the vendors' TLS (nil: the system's).
	RootCAs *x509.CertPool
	// Egress is what vendor connections may reach beyond the public
	// internet (PUSHD_EGRESS_ALLOW). The hosts of Endpoints are added to
	// it: the operator chose them.
	Egress egress.Policy
	// PublicURL is pushd's public address, where vendors post receipts;
	// "" asks for none.
	PublicURL string
	// MAC keys the tags receipts carry back (seal.Sealer.MAC).
	MAC    func(purpose string, msg []byte) []byte
	Logger *slog.Logger
}

// EndpointVars are the settings that override vendors' URLs.
func EndpointVars(vendors []channel.Vendor) []config.Var {
	var out []config.Var
	for _, v := range vendors {
		for _, e := range v.Describe().Endpoints {
			out = append(out, config.Var{
				Env: channel.EndpointEnv(v.Channel(), e.Name), Flag: channel.EndpointFlag(v.Channel(), e.Name),
				Help: e.Help + " Unset: " + e.Default + ".",
			})
		}
	}
	return out
}

// Registry builds one sender per stored credential and keeps it while
// the credential is unchanged, so connections, OAuth tokens and pacing
// live as long as the credential.
type Registry struct {
	cfg     Config
	byCh    map[enum.Channel]channel.Vendor
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
	if cfg.Vendors == nil {
		cfg.Vendors = Vendors()
	}
	r := &Registry{cfg: cfg, byCh: map[enum.Channel]channel.Vendor{}, senders: map[nodeid.ID]cachedSender{}}
	for _, v := range cfg.Vendors {
		r.byCh[v.Channel()] = v
	}
	var hosts []string
	for _, raw := range cfg.Endpoints {
		if u, err := url.Parse(raw); err == nil && u.Hostname() != "" {
			hosts = append(hosts, u.Hostname())
		}
	}
	slices.Sort(hosts)
	r.cfg.Egress.Hosts = append(slices.Clip(cfg.Egress.Hosts), hosts...)
	return r
}

// Vendors returns the registry's vendors, in preference order.
func (r *Registry) Vendors() []channel.Vendor { return slices.Clone(r.cfg.Vendors) }

// Vendor returns the vendor of a channel.
func (r *Registry) Vendor(ch enum.Channel) (channel.Vendor, bool) {
	v, ok := r.byCh[ch]
	return v, ok
}

// Preference implements core.Channels.
func (r *Registry) Preference() []enum.Channel {
	out := make([]enum.Channel, len(r.cfg.Vendors))
	for i, v := range r.cfg.Vendors {
		out[i] = v.Channel()
	}
	return out
}

// MarketingCap implements core.Channels.
func (r *Registry) MarketingCap(ch enum.Channel) int {
	if v, ok := r.byCh[ch]; ok {
		return v.Describe().MarketingPerDevice
	}
	return 0
}

// keys lists the vendors' keys for messages: "apns, huawei and fcm".
func (r *Registry) keys() string {
	ks := make([]string, len(r.cfg.Vendors))
	for i, v := range r.cfg.Vendors {
		ks[i] = core.ChannelKey(v.Channel())
	}
	if len(ks) < 2 {
		return strings.Join(ks, "")
	}
	return strings.Join(ks[:len(ks)-1], ", ") + " and " + ks[len(ks)-1]
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

// Check implements core.Channels: the vendor checks credentials in the
// API's form and says what to store.
func (r *Registry) Check(_ context.Context, in core.Credentials) (core.CheckedCredentials, error) {
	v, ok := r.byCh[in.Channel]
	if !ok || len(in.JSON) == 0 {
		return core.CheckedCredentials{}, core.Invalid("credentials", "give exactly one of %s", r.keys())
	}
	c, err := v.Check(in.JSON)
	if err != nil {
		return core.CheckedCredentials{}, err
	}
	return core.CheckedCredentials{
		Stored:  core.Credentials{Channel: in.Channel, JSON: c.Stored},
		Summary: c.Summary, Environment: c.Environment,
	}, nil
}

// ReceiptPath is where a vendor posts receipts for one channel config, on
// pushd's public address; "" for vendors without receipt callbacks.
func (r *Registry) ReceiptPath(ch enum.Channel, configID nodeid.ID) string {
	if _, ok := r.byCh[ch].(channel.ReceiptParser); !ok {
		return ""
	}
	return receiptPrefix(ch) + string(configID) + "/receipts"
}

func receiptPrefix(ch enum.Channel) string { return "/vendor/v1/" + core.ChannelKey(ch) + "/" }

// ReceiptURL implements core.Channels.
func (r *Registry) ReceiptURL(ch enum.Channel, configID nodeid.ID) string {
	p := r.ReceiptPath(ch, configID)
	if p == "" || r.cfg.PublicURL == "" {
		return ""
	}
	return strings.TrimRight(r.cfg.PublicURL, "/") + p
}

// receiptTag is the verifiable tag a receipt carries back for a job on one
// channel config: the job's ID and a MAC (at most 64 bytes, as the
// strictest vendor takes), so that nobody who learns the callback URL can
// forge receipts for jobs they did not see.
func (r *Registry) receiptTag(configID nodeid.ID, job string) string {
	mac := r.cfg.MAC("receipt-tag", []byte(string(configID)+"\x00"+job))
	return job + "." + base64.RawURLEncoding.EncodeToString(mac[:12])
}

// CheckReceiptTag returns the job a tag from receiptTag names, if it is
// genuine.
func (r *Registry) CheckReceiptTag(configID nodeid.ID, tag string) (string, bool) {
	job, sig, ok := strings.Cut(tag, ".")
	if !ok || r.cfg.MAC == nil {
		return "", false
	}
	return job, hmac.Equal([]byte(r.receiptTag(configID, job)), []byte(job+"."+sig))
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
	v, ok := r.byCh[ch.Channel]
	if !ok || ch.Credentials.Channel != ch.Channel {
		return nil, fmt.Errorf("credentials do not match channel %s", ch.Channel)
	}
	o := channel.Options{
		RootCAs: r.cfg.RootCAs, Egress: r.cfg.Egress, Endpoints: map[string]string{},
		Logger: r.cfg.Logger.With("channel", ch.Channel, "app", ch.AppID),
	}
	for _, e := range v.Describe().Endpoints {
		o.Endpoints[e.Name] = r.cfg.Endpoints[channel.EndpointEnv(ch.Channel, e.Name)]
	}
	if ch.MaxPerSecond > 0 {
		o.Pace = rate.NewLimiter(rate.Limit(ch.MaxPerSecond), ch.MaxPerSecond)
	}
	if u := r.ReceiptURL(ch.Channel, ch.ConfigID); u != "" && r.cfg.MAC != nil {
		o.CallbackURL = u
		o.CallbackParam = func(job string) string { return r.receiptTag(ch.ConfigID, job) }
	}
	return v.NewSender(ch.Credentials.JSON, o)
}
