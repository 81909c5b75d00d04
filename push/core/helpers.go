package core

import (
	"slices"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// Chunks splits xs into slices of at most n.
func Chunks[T any](xs []T, n int) [][]T {
	var out [][]T
	for len(xs) > n {
		out = append(out, xs[:n:n])
		xs = xs[n:]
	}
	if len(xs) > 0 {
		out = append(out, xs)
	}
	return out
}

// Unique returns xs without repeats, in first-seen order.
func Unique[T comparable](xs []T) []T {
	seen := make(map[T]struct{}, len(xs))
	out := xs[:0:0]
	for _, x := range xs {
		if _, ok := seen[x]; !ok {
			seen[x] = struct{}{}
			out = append(out, x)
		}
	}
	return out
}

// IDsOf lists the deliveries' IDs.
func IDsOf(ds []*ent.Delivery) []nodeid.ID {
	out := make([]nodeid.ID, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

// ChannelAllowed reports whether the job's options let it use channel c.
func ChannelAllowed(job *ent.PushJob, c enum.Channel) bool {
	return len(job.Options.Channels) == 0 || slices.Contains(job.Options.Channels, c)
}
