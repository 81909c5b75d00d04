package xiaomi

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pushd/pushd/push/core"

	"github.com/stretchr/testify/require"
)

// testVerify accepts params made by testCallback's Param.
func testVerify(param string) (string, bool) {
	job, ok := strings.CutSuffix(param, ".sig")
	return job, ok && job != ""
}

func TestParseReceipts(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	data := `{
		"scm1":{"type":1,"targets":"r1,r2","param":"job_a.sig","timestamp":1741944600123},
		"scm2":{"type":2,"targets":"r1","param":"job_a.sig","timestamp":"1741944601000","jobkey":"x","barStatus":"Enable"},
		"scm3":{"type":16,"targets":"r3","param":"job_b.sig","timestamp":1741944602000},
		"scm4":{"type":32,"targets":"r4","param":"job_b.sig"},
		"scm5":{"type":64,"targets":"r5","param":"job_b.sig","timestamp":0},
		"scm6":{"extra":{"ack":"100","quota":"100"},"type":128,"targets":"r6","param":"job_b.sig","timestamp":1741944603000},
		"scm7":{"type":1,"targets":"r7","param":"forged","timestamp":1741944603000},
		"scm8":{"type":4,"targets":"r8","param":"job_b.sig"},
		"scm9":"not an object"
	}`
	got, err := ParseReceipts(url.Values{"data": {data}}, testVerify, now)
	require.NoError(t, err)
	at := func(ms int64) time.Time { return time.UnixMilli(ms) }
	require.Equal(t, []core.VendorReceipt{
		{JobID: "job_a", Token: "r1", Event: core.ReceiptArrived, At: at(1741944600123)},
		{JobID: "job_a", Token: "r2", Event: core.ReceiptArrived, At: at(1741944600123)},
		{JobID: "job_a", Token: "r1", Event: core.ReceiptOpened, At: at(1741944601000)},
		{JobID: "job_b", Token: "r3", Event: core.ReceiptTokenDead, Reason: "Xiaomi: 16 invalid target (offline over 90 days, unregistered or uninstalled)", At: at(1741944602000)},
		{JobID: "job_b", Token: "r4", Event: core.ReceiptFailed, Reason: "Xiaomi: 32 push disabled on the device", At: now},
		{JobID: "job_b", Token: "r5", Event: core.ReceiptFailed, Reason: "Xiaomi: 64 filtered out", At: now},
		{JobID: "job_b", Token: "r6", Event: core.ReceiptFailed, Reason: "Xiaomi: 128 daily quota exceeded (acked 100 of quota 100)", At: at(1741944603000)},
	}, got)
}

func TestParseReceiptsErrors(t *testing.T) {
	t.Parallel()
	now := time.Now()
	for name, form := range map[string]url.Values{
		"no data":      {},
		"blank data":   {"data": {"  "}},
		"not JSON":     {"data": {"{"}},
		"not object":   {"data": {`[1]`}},
		"all rejected": {"data": {`{"scm1":{"type":1,"targets":"r1","param":"forged"},"scm2":{"type":1,"targets":"r2"}}`}},
		"unreadable":   {"data": {`{"scm1":{"type":"x","targets":"r1","param":"job_a.sig"}}`}},
	} {
		got, err := ParseReceipts(form, testVerify, now)
		require.Error(t, err, name)
		require.Empty(t, got, name)
	}
	got, err := ParseReceipts(url.Values{"data": {`{}`}}, testVerify, now)
	require.NoError(t, err)
	require.Empty(t, got)
}

func FuzzParseReceipts(f *testing.F) {
	f.Add(`{"scm1":{"type":1,"targets":"r1,r2","param":"job_a.sig","timestamp":1741944600123}}`)
	f.Add(`{"axo00546585203029498oV":{"extra":{"ack":"5","quota":"5"},"type":128,"targets":"alias","timestamp":1585203103625,"param":"job_a.sig"}}`)
	f.Add(`{"scm1":{"type":"243","targets":["a","b"],"param":"job_a.sig","timestamp":-5}}`)
	f.Add(`{"scm1":{"type":1e30,"targets":"","param":"job_a.sig","timestamp":1e300}}`)
	f.Add(`{"scm1":null}`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, data string) {
		got, err := ParseReceipts(url.Values{"data": {data}}, testVerify, time.Unix(1700000000, 0))
		if err != nil {
			require.Empty(t, got)
		}
		for _, r := range got {
			require.NotEmpty(t, r.Token)
			require.NotEmpty(t, r.JobID)
			require.GreaterOrEqual(t, r.Event, core.ReceiptArrived)
			require.LessOrEqual(t, r.Event, core.ReceiptFailed)
		}
	})
}
