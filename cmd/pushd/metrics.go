package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pushd/pushd/pubsub"
)

// registerJobMarks exports how many jobs wait for the refresher. The
// gauge reads Redis at scrape time, bounded so that a slow Redis makes a
// scrape report -1 instead of hanging it.
func registerJobMarks(reg prometheus.Registerer, marks *pubsub.JobMarks) {
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "pushd_jobs_awaiting_refresh",
		Help: "Jobs whose deliveries changed and wait for their counts, statistics and receipts (refreshed about once a second).",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, err := marks.Len(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	}))
}
