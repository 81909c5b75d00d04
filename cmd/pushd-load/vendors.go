package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/provider"
	"github.com/pushd/pushd/provider/providertest"
	"github.com/pushd/pushd/push"
)

// vendorChannels are the channels a -vendors run spreads devices over.
var vendorChannels = []enum.Channel{enum.ChannelAPNs, enum.ChannelFCM, enum.ChannelHuawei, enum.ChannelXiaomi}

// vendorFakes are the four vendor fakes, running in this process, and the
// registry of real adapters pointed at them.
type vendorFakes struct {
	apns     *providertest.APNsFake
	fcm      *providertest.FCMFake
	huawei   *providertest.HuaweiFake
	xiaomi   *providertest.XiaomiFake
	registry *provider.Registry
}

func startVendorFakes(latency time.Duration, log *slog.Logger) (*vendorFakes, error) {
	var f vendorFakes
	var err error
	f.apns, err = providertest.StartAPNs(providertest.APNsOptions{Environment: push.APNsProduction})
	if err == nil {
		f.fcm, err = providertest.StartFCM(providertest.FCMOptions{})
	}
	if err == nil {
		f.huawei, err = providertest.StartHuawei(providertest.HuaweiOptions{})
	}
	if err == nil {
		f.xiaomi, err = providertest.StartXiaomi(providertest.XiaomiOptions{})
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	for _, c := range []*providertest.Chaos{&f.apns.Chaos, &f.fcm.Chaos, &f.huawei.Chaos, &f.xiaomi.Chaos} {
		c.SetLatency(latency)
	}
	// What they received is counted in the database, not from their logs.
	f.apns.Log.Keep(100)
	f.fcm.Sends.Keep(100)
	f.huawei.Requests.Keep(100)
	f.xiaomi.Sends.Keep(100)
	cas := x509.NewCertPool()
	if !cas.AppendCertsFromPEM(f.fcm.CAPEM()) {
		f.Close()
		return nil, errors.New("fakes: no CA certificate")
	}
	f.registry = provider.New(provider.Config{
		Endpoints: provider.Endpoints{
			APNsProduction: f.apns.URL, FCM: f.fcm.URL + "/v1",
			Huawei: f.huawei.URL, HuaweiAuth: f.huawei.TokenURL(), Xiaomi: f.xiaomi.URL,
		},
		RootCAs: cas, Logger: log,
	})
	return &f, nil
}

// configure gives the app credentials for every fake.
func (f *vendorFakes) configure(ctx context.Context, svc *push.Service, app nodeid.ID) error {
	a, h, x, c := f.apns.Credentials(), f.huawei.Credentials(), f.xiaomi.Credentials(), f.fcm.Credentials()
	for _, creds := range []push.ChannelCredentials{{APNs: &a}, {FCM: &c}, {Huawei: &h}, {Xiaomi: &x}} {
		if _, err := svc.SetChannelConfig(ctx, push.ChannelConfigInput{AppID: app, Credentials: creds}); err != nil {
			return fmt.Errorf("configure %s: %w", creds.Channel(), err)
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
	if f.apns != nil {
		f.apns.Close()
	}
	if f.fcm != nil {
		f.fcm.Close()
	}
	if f.huawei != nil {
		f.huawei.Close()
	}
	if f.xiaomi != nil {
		f.xiaomi.Close()
	}
}
