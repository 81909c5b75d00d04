package main

import (
	"net/netip"

	"github.com/pushd/pushd/config"
	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/provider"
)

// newChannels builds the vendor senders: the vendors' own endpoints
// unless configured otherwise (private gateways, the fakes), the extra CA
// certificates trusted for them, and what beyond the public internet
// they may reach. The senders close with the process.
func (w *wiring) newChannels(allow []netip.Prefix) (*provider.Registry, error) {
	cas, err := provider.LoadRootCAs(w.cfg.ProviderCAFile)
	if err != nil {
		return nil, err
	}
	channels := provider.New(provider.Config{
		Endpoints: vendorEndpoints(w.cfg),
		RootCAs:   cas,
		Egress:    egress.Policy{Allow: allow},
		Logger:    w.log,
	})
	w.onClose(channels.Close)
	return channels, nil
}

func vendorEndpoints(cfg config.Config) provider.Endpoints {
	return provider.Endpoints{
		APNsProduction: cfg.APNsProductionURL,
		APNsSandbox:    cfg.APNsSandboxURL,
		FCM:            cfg.FCMURL,
		FCMAuth:        cfg.FCMAuthURL,
		Huawei:         cfg.HuaweiURL,
		HuaweiAuth:     cfg.HuaweiAuthURL,
		Xiaomi:         cfg.XiaomiURL,
	}
}
