package main

import (
	"net/netip"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/provider"
)

// newVendors builds the vendor registry: the vendors' own endpoints
// unless configured otherwise (private gateways, the fakes), the extra CA
// certificates trusted for them, what beyond the public internet they may
// reach, and where and how receipts come back. The senders close with the
// process.
func (w *wiring) newVendors(sealer *seal.Sealer, allow []netip.Prefix) (*provider.Registry, error) {
	cas, err := provider.LoadRootCAs(w.cfg.ProviderCAFile)
	if err != nil {
		return nil, err
	}
	vendors := provider.New(provider.Config{
		Endpoints: w.cfg.VendorURLs,
		RootCAs:   cas,
		Egress:    egress.Policy{Allow: allow},
		PublicURL: w.cfg.PublicURL,
		MAC:       sealer.MAC,
		Logger:    w.log,
	})
	w.onClose(vendors.Close)
	return vendors, nil
}
