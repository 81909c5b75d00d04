package main

import (
	"golang.org/x/time/rate"

	"github.com/pushd/pushd/gateway"
)

// newGateway builds the gateway role: the hub that holds this node's
// device connections (a component: it receives the frames routed to this
// node and closes the connections when it stops) and the device API on it.
func (w *wiring) newGateway() (component, *gateway.API) {
	hub := gateway.NewHub(gateway.HubConfig{
		Service: w.svc, Router: w.router, Redis: w.stores.Redis,
		Heartbeat: w.cfg.DeviceHeartbeat, Logger: w.log, Metrics: gateway.NewMetrics(w.metrics.Registry),
		Throttles: gateway.Throttles{
			RegisterPerAddress: gateway.PerSecond(w.cfg.LimitRegisterAddressRate),
			RegisterPerApp:     gateway.PerSecond(w.cfg.LimitRegisterAppRate),
			ConnectPerAddress:  gateway.PerSecond(w.cfg.LimitConnectAddressRate),
			FramesPerSecond:    rate.Limit(w.cfg.LimitDeviceFrameRate),
			FrameBurst:         gateway.BurstSeconds * w.cfg.LimitDeviceFrameRate,
		},
	})
	return component{name: "gateway hub", run: hub.Run}, gateway.NewAPI(w.svc, hub, w.cfg.DeviceHeartbeat, w.log)
}
