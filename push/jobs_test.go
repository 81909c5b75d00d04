package push

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/tenant"
)

// The console finds pushes by words of their title or body, on both
// databases pushd runs on.
func TestJobMessageContains(t *testing.T) {
	t.Parallel()
	for name, open := range map[string]func(testing.TB) *store.Stores{"postgres": testenv.Stores, "sqlite": testenv.EmbeddedStores} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			jobMessageContains(t, open(t))
		})
	}
}

func jobMessageContains(t *testing.T, st *store.Stores) {
	ctx := tenant.NewContext(context.Background(), tenant.System())
	app, err := st.Ent.App.Create().SetName("search").SetAppKey("ak_" + string(nodeid.New("k"))).Save(ctx)
	require.NoError(t, err)
	titles := map[string]jsontype.Message{
		"sale":    {Title: "Summer SALE starts", Body: "Up to 50% off"},
		"order":   {Title: "Your order shipped", Body: "Track it in the app"},
		"chinese": {Title: "订单已发货", Body: "点击查看物流"},
		"odd":     {Title: `100%_sure \ really`},
		"silent":  {},
	}
	ids := map[string]string{}
	for name, m := range titles {
		j, err := st.Ent.PushJob.Create().SetAppID(app.ID).SetKind(enum.PushKindSimple).SetTTLSeconds(60).
			SetMessage(m).SetOptions(jsontype.Options{TTLSeconds: 60}).Save(ctx)
		require.NoError(t, err)
		ids[string(j.ID)] = name
	}
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"sale", []string{"sale"}},
		{"SHIPPED", []string{"order"}},
		{"in the app", []string{"order"}},
		{"发货", []string{"chinese"}},
		{"物流", []string{"chinese"}},
		{"%", []string{"odd", "sale"}},
		{"0%_", []string{"odd"}},
		{`\`, []string{"odd"}},
		{"_", []string{"odd"}},
		{"nothing like it", nil},
	} {
		js, err := st.Ent.PushJob.Query().Where(pushjob.AppID(app.ID), JobMessageContains(tc.q)).All(ctx)
		require.NoError(t, err)
		var got []string
		for _, j := range js {
			got = append(got, ids[string(j.ID)])
		}
		require.ElementsMatch(t, tc.want, got, tc.q)
	}
}
