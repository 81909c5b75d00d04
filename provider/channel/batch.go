package channel

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode"

	"github.com/pushd/pushd/push/core"
)

// ShareBody groups, for vendors that send one message to many tokens per
// request (Huawei, Honor, HarmonyOS), the messages whose request body is
// the same: same job, same content, same expiry to the second. Groups come
// in the order of their first message, each split into batches of at most
// limit, as indexes into msgs. A message whose token is empty or holds
// white space is settled in res as a dead token, one whose content cannot
// be encoded as failed; vendor names the vendor in their reasons.
func ShareBody(vendor string, msgs []core.Outgoing, limit int, res []core.Result) [][]int {
	var order []string
	groups := map[string][]int{}
	for i, m := range msgs {
		if m.Token == "" || strings.IndexFunc(m.Token, unicode.IsSpace) >= 0 {
			res[i] = core.Result{Outcome: core.OutcomeTokenDead, Reason: vendor + ": malformed token"}
			continue
		}
		content, err := json.Marshal(m.Message)
		if err != nil {
			res[i] = core.Result{Outcome: core.OutcomeFailed, Reason: vendor + ": the message cannot be encoded: " + err.Error()}
			continue
		}
		k := string(m.JobID) + "\x00" + strconv.FormatInt(m.ExpiresAt.Unix(), 10) + "\x00" + string(content)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	var batches [][]int
	for _, k := range order {
		g := groups[k]
		for start := 0; start < len(g); start += limit {
			batches = append(batches, g[start:min(start+limit, len(g))])
		}
	}
	return batches
}

// Pick returns the messages of msgs at idx.
func Pick(msgs []core.Outgoing, idx []int) []core.Outgoing {
	out := make([]core.Outgoing, len(idx))
	for j, i := range idx {
		out[j] = msgs[i]
	}
	return out
}
