package push

import (
	"slices"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// Small helpers the files of this package share; each depends on nothing
// else in the package, so no file needs another just for these.

// finalJob reports whether a job was stopped for good (cancelled, revoked
// or failed): none of its deliveries is sent any more.
func finalJob(s pushjob.Status) bool {
	switch s {
	case pushjob.StatusCANCELLED, pushjob.StatusREVOKED, pushjob.StatusFAILED:
		return true
	}
	return false
}

// idsOf lists the deliveries' IDs.
func idsOf(ds []*ent.Delivery) []nodeid.ID {
	out := make([]nodeid.ID, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

// channelAllowed reports whether the job's options let it use channel c.
func channelAllowed(job *ent.PushJob, c enum.Channel) bool {
	return len(job.Options.Channels) == 0 || slices.Contains(job.Options.Channels, c)
}
