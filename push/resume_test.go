package push

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/deliver"
	"github.com/pushd/pushd/tenant"
)

// Devices resumed together get what each would get resumed alone: their
// PENDING messages claimed and numbered, then everything they have not
// acknowledged after their own last seq, in seq order.
func TestResumeAllGivesEachDeviceItsOwnResume(t *testing.T) {
	t.Parallel()
	st := testenv.Stores(t)
	s := newTestService(t, st, nil)
	ctx := tenant.AsSystem(context.Background())
	exp := time.Now().Add(time.Hour)
	pending := func(app *ent.App, d *ent.Device, n int) {
		for range n {
			j, err := s.client.PushJob.Create().SetAppID(app.ID).SetKind(enum.PushKindSimple).SetStatus(pushjob.StatusDONE).
				SetMessage(jsontype.Message{Title: "x"}).SetOptions(jsontype.Options{}).SetTTLSeconds(3600).SetExpiresAt(exp).Save(ctx)
			require.NoError(t, err)
			require.NoError(t, s.client.Delivery.Create().SetAppID(app.ID).SetJobID(j.ID).SetDeviceID(d.ID).SetExpiresAt(exp).Exec(ctx))
		}
	}
	app1, d1 := appAndDevice(t, s, nil)
	app2, d2 := appAndDevice(t, s, nil)
	_, d3 := appAndDevice(t, s, nil)
	pending(app1, d1, 3)
	pending(app2, d2, 2)

	got, err := s.Delivery().ResumeAll(ctx, []deliver.ResumeRequest{{Device: d1.ID}, {Device: d2.ID}, {Device: d3.ID}})
	require.NoError(t, err)
	require.Equal(t, [][]int64{{1, 2, 3}, {1, 2}, nil}, seqsOf(got))
	for i, d := range []*ent.Device{d1, d2} {
		for _, m := range got[i] {
			require.Equal(t, d.ID, m.DeviceID)
			require.Equal(t, "x", m.Message.Title)
		}
	}

	// Nothing acknowledged: each device's own last seq decides, and the
	// same device twice in a batch gets each request's answer.
	pending(app2, d2, 1)
	got, err = s.Delivery().ResumeAll(ctx, []deliver.ResumeRequest{{Device: d1.ID, AfterSeq: 2}, {Device: d2.ID}, {Device: d1.ID}})
	require.NoError(t, err)
	require.Equal(t, [][]int64{{3}, {1, 2, 3}, {1, 2, 3}}, seqsOf(got))
	alone, err := s.Delivery().Resume(ctx, d2.ID, 1)
	require.NoError(t, err)
	require.Equal(t, got[1][1:], alone)
}

func seqsOf(batches [][]core.SelfMessage) [][]int64 {
	out := make([][]int64, len(batches))
	for i, msgs := range batches {
		for _, m := range msgs {
			out[i] = append(out[i], m.Seq)
		}
	}
	return out
}

// A batch whose backlogs are too large to read together is read device
// by device, with the same answers.
func TestResumeAllOfLargeBacklogs(t *testing.T) {
	t.Parallel()
	st := testenv.Stores(t)
	s := newTestService(t, st, nil)
	ctx := tenant.AsSystem(context.Background())
	exp := time.Now().Add(time.Hour)
	app, big := appAndDevice(t, s, nil)
	_, small := appAndDevice(t, s, nil)
	jobs := make([]*ent.PushJobCreate, 4*deliver.MaxResume+1)
	for i := range jobs {
		jobs[i] = s.client.PushJob.Create().SetAppID(app.ID).SetKind(enum.PushKindSimple).SetStatus(pushjob.StatusDONE).
			SetMessage(jsontype.Message{Title: "x"}).SetOptions(jsontype.Options{}).SetTTLSeconds(3600).SetExpiresAt(exp)
	}
	saved, err := s.client.PushJob.CreateBulk(jobs...).Save(ctx)
	require.NoError(t, err)
	rows := make([]*ent.DeliveryCreate, len(saved))
	for i, j := range saved {
		rows[i] = s.client.Delivery.Create().SetAppID(app.ID).SetJobID(j.ID).SetDeviceID(big.ID).SetExpiresAt(exp)
	}
	rows[len(rows)-1].SetDeviceID(small.ID) // past the batch read's rows
	require.NoError(t, s.client.Delivery.CreateBulk(rows...).Exec(ctx))

	got, err := s.Delivery().ResumeAll(ctx, []deliver.ResumeRequest{{Device: big.ID}, {Device: small.ID}})
	require.NoError(t, err)
	require.Len(t, got[0], deliver.MaxResume)
	require.Equal(t, int64(1), got[0][0].Seq)
	require.Equal(t, int64(deliver.MaxResume), got[0][deliver.MaxResume-1].Seq)
	require.Equal(t, [][]int64{{1}}, seqsOf(got[1:]))
}
