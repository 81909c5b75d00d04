package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/provider"
	"github.com/pushd/pushd/provider/providertest"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/push/credentials"
)

// vendorChannels are the channels a -vendors run spreads devices over.
var vendorChannels = []enum.Channel{enum.ChannelAPNs, enum.ChannelFCM, enum.ChannelHuawei, enum.ChannelXiaomi, enum.ChannelOPPO, enum.ChannelVIVO, enum.ChannelHonor, enum.ChannelHarmony, enum.ChannelMeizu}

// parseOnly reads -only: channels among vendorChannels.
func parseOnly(list string) ([]enum.Channel, error) {
	var out []enum.Channel
	for _, name := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' }) {
		c := enum.Channel(strings.ToUpper(name))
		if !slices.Contains(vendorChannels, c) {
			return nil, fmt.Errorf("-only: %q is not one of %v", name, vendorChannels)
		}
		out = append(out, c)
	}
	return out, nil
}

// vendorFakes are the vendor fakes, running in this process, and the
// registry of real adapters pointed at them.
type vendorFakes struct {
	*providertest.Set
	registry *provider.Registry
}

func startVendorFakes(latency time.Duration, log *slog.Logger) (*vendorFakes, error) {
	set, err := providertest.StartSet(latency)
	if err != nil {
		return nil, err
	}
	f := &vendorFakes{Set: set}
	// What they received is counted in the database, not from their logs.
	set.Keep(100)
	cas := x509.NewCertPool()
	if !cas.AppendCertsFromPEM(set.CAPEM()) {
		f.Close()
		return nil, errors.New("fakes: no CA certificate")
	}
	f.registry = provider.New(provider.Config{Endpoints: set.Env(""), RootCAs: cas, Logger: log})
	return f, nil
}

// configure gives the app credentials for every fake.
func (f *vendorFakes) configure(ctx context.Context, svc *push.Service, app nodeid.ID) error {
	for _, creds := range f.Inputs() {
		if _, err := svc.Credentials().Set(ctx, credentials.Input{AppID: app, Credentials: creds}); err != nil {
			return fmt.Errorf("configure %s: %w", creds.Channel, err)
		}
	}
	return nil
}

// report says how many deliveries each channel sent.
func report(ctx context.Context, c *ent.Client, job nodeid.ID) (string, error) {
	var rows []struct {
		Channel enum.Channel `json:"channel"`
		Count   int          `json:"count"`
	}
	err := c.Delivery.Query().Where(delivery.JobID(job), delivery.StatusEQ(delivery.StatusSENT)).
		GroupBy(delivery.FieldChannel).Aggregate(ent.Count()).Scan(ctx, &rows)
	if err != nil {
		return "", err
	}
	out := ""
	for _, r := range rows {
		out += fmt.Sprintf(" %s %d", r.Channel, r.Count)
	}
	return "sent by channel:" + out, nil
}

func (f *vendorFakes) Close() {
	if f.registry != nil {
		f.registry.Close()
	}
	f.Set.Close()
}
