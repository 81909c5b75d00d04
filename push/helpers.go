package push

import (
	"github.com/pushd/pushd/ent/pushjob"
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
