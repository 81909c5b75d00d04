package push

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/channelconfig"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/devicetoken"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/credentials"
	"github.com/pushd/pushd/push/deliver"
	"github.com/pushd/pushd/push/devices"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/tenant"
)

// Channel choice, fallback and configuration errors, with scripted vendor
// senders behind the Channels seam (the real adapters are tested against
// the vendor fakes in provider/, and end to end in cmd/pushd).

// scripted answers every message with what its func says and counts them.
type scripted struct {
	mu     sync.Mutex
	answer func(core.Outgoing) core.Result
	got    []core.Outgoing
}

func (s *scripted) Send(_ context.Context, msgs []core.Outgoing) []core.Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]core.Result, len(msgs))
	for i, m := range msgs {
		s.got = append(s.got, m)
		out[i] = s.answer(m)
	}
	return out
}

func (s *scripted) sent() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.got)
}

func answer(r core.Result) *scripted {
	return &scripted{answer: func(core.Outgoing) core.Result { return r }}
}

// scriptedChannels opens every stored config as its channel's scripted sender.
type scriptedChannels map[enum.Channel]*scripted

func (c scriptedChannels) Check(_ context.Context, in core.Credentials) (core.CheckedCredentials, error) {
	if in.Channel == "" {
		return core.CheckedCredentials{}, core.Invalid("credentials", "give one")
	}
	if strings.Contains(string(in.JSON), `"bad"`) {
		return core.CheckedCredentials{}, core.Invalid(core.ChannelKey(in.Channel)+".appSecret", "is wrong")
	}
	return core.CheckedCredentials{Stored: in, Summary: map[string]any{"channel": string(in.Channel)}}, nil
}

// Preference is the registry's order.
func (c scriptedChannels) Preference() []enum.Channel {
	return []enum.Channel{enum.ChannelAPNs, enum.ChannelHuawei, enum.ChannelXiaomi, enum.ChannelFCM}
}

// MarketingCap: the scripted vendors cap nothing.
func (c scriptedChannels) MarketingCap(enum.Channel) int { return 0 }

func (c scriptedChannels) ReceiptURL(ch enum.Channel, id nodeid.ID) string {
	return "https://pushd.example/vendor/v1/" + core.ChannelKey(ch) + "/" + string(id) + "/receipts"
}

// creds are credentials of a channel in the API's form, as JSON text.
func creds(ch enum.Channel, js string) core.Credentials {
	return core.Credentials{Channel: ch, JSON: json.RawMessage(js)}
}

func (c scriptedChannels) Sender(_ context.Context, ch core.StoredChannel) (core.Sender, error) {
	if s, ok := c[ch.Channel]; ok {
		return s, nil
	}
	return nil, errors.New("no sender")
}

type vendorSetup struct {
	s      *Service
	ctx    context.Context
	app    *ent.App
	device *ent.Device
}

// vendorTest makes an app with Huawei and Xiaomi configured (scripted) and
// an Android device with the given tokens.
func vendorTest(t *testing.T, ch scriptedChannels, tokens map[enum.Channel]string) vendorSetup {
	t.Helper()
	return vendorTestOn(t, testenv.Stores(t), ch, tokens)
}

func vendorTestOn(t *testing.T, st *store.Stores, ch scriptedChannels, tokens map[enum.Channel]string) vendorSetup {
	t.Helper()
	sealer, err := seal.New(make([]byte, 32))
	require.NoError(t, err)
	s := NewService(Config{Client: st.Ent, Sealer: sealer, Dialect: st.Dialect, Logger: testenv.Logger(t), Channels: ch})
	ctx := tenant.AsSystem(context.Background())
	app, d := appAndDevice(t, s, tokens)
	for c := range ch {
		_, err := s.Credentials().Set(ctx, credentials.Input{AppID: app.ID, Credentials: creds(c, `{"secret":"s"}`)})
		require.NoError(t, err)
	}
	return vendorSetup{s: s, ctx: ctx, app: app, device: d}
}

// send pushes one message to the device and runs its send task once.
func (v vendorSetup) send(t *testing.T) (*ent.Delivery, error) {
	t.Helper()
	j, err := v.s.Push(v.ctx, simplePush(v.app.ID, jsontype.Target{DeviceIDs: []string{string(v.device.ID)}}, "hi"))
	require.NoError(t, err)
	_, sendErr := v.s.Delivery().Send(v.ctx, SendRequest{Job: j.ID})
	d, err := v.s.client.Delivery.Query().Where(delivery.JobID(j.ID)).Only(v.ctx)
	require.NoError(t, err)
	return d, sendErr
}

func (v vendorSetup) token(t *testing.T, c enum.Channel) *ent.DeviceToken {
	t.Helper()
	tok, err := v.s.client.DeviceToken.Query().Where(devicetoken.DeviceID(v.device.ID), devicetoken.ChannelEQ(c)).Only(v.ctx)
	require.NoError(t, err)
	return tok
}

func TestVendorChannelChoice(t *testing.T) {
	t.Parallel()
	sent := core.Result{Outcome: core.OutcomeSent}
	for _, tc := range []struct {
		name   string
		tokens map[enum.Channel]string
		want   enum.Channel
	}{
		{"brand channel before FCM", map[enum.Channel]string{enum.ChannelHuawei: "h", enum.ChannelFCM: "f"}, enum.ChannelHuawei},
		{"Huawei before Xiaomi", map[enum.Channel]string{enum.ChannelXiaomi: "x", enum.ChannelHuawei: "h"}, enum.ChannelHuawei},
		{"only FCM", map[enum.Channel]string{enum.ChannelFCM: "f"}, enum.ChannelFCM},
		{"a token for an unconfigured channel is skipped", map[enum.Channel]string{enum.ChannelAPNs: "a", enum.ChannelFCM: "f"}, enum.ChannelFCM},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ch := scriptedChannels{enum.ChannelHuawei: answer(sent), enum.ChannelXiaomi: answer(sent), enum.ChannelFCM: answer(sent)}
			v := vendorTest(t, ch, tc.tokens)
			d, err := v.send(t)
			require.NoError(t, err)
			require.Equal(t, delivery.StatusSENT, d.Status)
			require.Equal(t, tc.want, *d.Channel)
			require.Equal(t, 1, ch[tc.want].sent())
			require.Equal(t, v.device.ID, ch[tc.want].got[0].DeviceID)
			require.Equal(t, d.JobID, ch[tc.want].got[0].JobID)
		})
	}
}

func TestDeadTokenFallsBackToAnotherChannel(t *testing.T) {
	t.Parallel()
	huawei := answer(core.Result{Outcome: core.OutcomeTokenDead, Reason: "Huawei: 80300007 all tokens invalid"})
	fcm := answer(core.Result{Outcome: core.OutcomeSent})
	v := vendorTest(t, scriptedChannels{enum.ChannelHuawei: huawei, enum.ChannelFCM: fcm},
		map[enum.Channel]string{enum.ChannelHuawei: "h", enum.ChannelFCM: "f"})
	d, err := v.send(t)
	require.NoError(t, err)
	require.Equal(t, delivery.StatusSENT, d.Status)
	require.Equal(t, enum.ChannelFCM, *d.Channel)
	tok := v.token(t, enum.ChannelHuawei)
	require.Equal(t, devicetoken.StatusDEAD, tok.Status)
	require.Equal(t, "Huawei: 80300007 all tokens invalid", tok.DeadReason)

	// The dead token is never used again.
	_, err = v.send(t)
	require.NoError(t, err)
	require.Equal(t, 1, huawei.sent())
	require.Equal(t, 2, fcm.sent())
}

func TestDeadTokenWithoutFallbackFailsWithTheReason(t *testing.T) {
	t.Parallel()
	huawei := answer(core.Result{Outcome: core.OutcomeTokenDead, Reason: "Huawei: 80300007 all tokens invalid"})
	v := vendorTest(t, scriptedChannels{enum.ChannelHuawei: huawei}, map[enum.Channel]string{enum.ChannelHuawei: "h"})
	d, err := v.send(t)
	require.NoError(t, err)
	require.Equal(t, delivery.StatusFAILED, d.Status)
	require.Equal(t, "Huawei: 80300007 all tokens invalid", d.LastError)
	// Without a live token the next push waits for the WebSocket channel.
	d, err = v.send(t)
	require.NoError(t, err)
	require.Equal(t, delivery.StatusPENDING, d.Status)
	require.Equal(t, 1, huawei.sent())
}

func TestTokenRegisteredAfterItWasFoundInvalidStaysAlive(t *testing.T) {
	t.Parallel()
	huawei := answer(core.Result{Outcome: core.OutcomeTokenDead, Reason: "APNs: 410 Unregistered", TokenInvalidSince: time.Now().Add(-time.Hour)})
	v := vendorTest(t, scriptedChannels{enum.ChannelHuawei: huawei}, map[enum.Channel]string{enum.ChannelHuawei: "h"})
	d, err := v.send(t)
	require.NoError(t, err)
	require.Equal(t, delivery.StatusFAILED, d.Status, "this message was refused")
	require.Equal(t, devicetoken.StatusACTIVE, v.token(t, enum.ChannelHuawei).Status, "the token lives on")
}

func TestConfigErrorFlagsTheChannelAndFailsFast(t *testing.T) {
	t.Parallel()
	xiaomi := answer(core.Result{Outcome: core.OutcomeConfigError, Reason: "Xiaomi: 21301 Invalid application secret."})
	v := vendorTest(t, scriptedChannels{enum.ChannelXiaomi: xiaomi}, map[enum.Channel]string{enum.ChannelXiaomi: "x"})
	d, err := v.send(t)
	require.NoError(t, err)
	require.Equal(t, delivery.StatusFAILED, d.Status)
	require.Equal(t, "XIAOMI channel is misconfigured: Xiaomi: 21301 Invalid application secret.", d.LastError)
	cfg, err := v.s.client.ChannelConfig.Query().Where(channelconfig.AppID(v.app.ID)).Only(v.ctx)
	require.NoError(t, err)
	require.Equal(t, "Xiaomi: 21301 Invalid application secret.", cfg.ConfigError)
	require.NotNil(t, cfg.ConfigErrorAt)
	require.Equal(t, devicetoken.StatusACTIVE, v.token(t, enum.ChannelXiaomi).Status, "not the token's fault")

	// Fails fast: the vendor is not asked again.
	d, err = v.send(t)
	require.NoError(t, err)
	require.Equal(t, delivery.StatusFAILED, d.Status)
	require.Equal(t, 1, xiaomi.sent())

	// Saving the credentials again clears the flag and the channel works.
	xiaomi.answer = func(core.Outgoing) core.Result { return core.Result{Outcome: core.OutcomeSent} }
	_, err = v.s.Credentials().Set(v.ctx, credentials.Input{AppID: v.app.ID, Credentials: creds(enum.ChannelXiaomi, `{"appSecret":"s2"}`)})
	require.NoError(t, err)
	d, err = v.send(t)
	require.NoError(t, err)
	require.Equal(t, delivery.StatusSENT, d.Status)
}

func TestChannelConfigRules(t *testing.T) {
	t.Parallel()
	v := vendorTest(t, scriptedChannels{}, nil)
	for _, tc := range []struct {
		name  string
		in    credentials.Input
		field string
	}{
		{"no credentials", credentials.Input{}, "credentials"},
		{"negative rate", credentials.Input{MaxPerSecond: -1, Credentials: creds(enum.ChannelFCM, `{}`)}, "maxPerSecond"},
		{"provider refuses", credentials.Input{Credentials: creds(enum.ChannelXiaomi, `{"appSecret":"bad"}`)}, "xiaomi.appSecret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.in.AppID = v.app.ID
			_, err := v.s.Credentials().Set(v.ctx, tc.in)
			e, ok := core.AsError(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, core.CodeInvalidArgument, e.Code)
			require.Equal(t, tc.field, e.Field)
		})
	}
}

func TestVendorReceipts(t *testing.T) {
	t.Parallel()
	ch := scriptedChannels{enum.ChannelXiaomi: answer(core.Result{Outcome: core.OutcomeSent})}
	v := vendorTest(t, ch, map[enum.Channel]string{enum.ChannelXiaomi: "regid-1"})
	d, err := v.send(t)
	require.NoError(t, err)
	rec := func(e core.ReceiptEvent) {
		_, err := v.s.RecordVendorReceipts(v.ctx, v.app.ID, enum.ChannelXiaomi, []core.VendorReceipt{
			{JobID: d.JobID, Token: "regid-1", Event: e, Reason: "Xiaomi receipt 16: target invalid", At: time.Now()},
			{JobID: d.JobID, Token: "someone-else", Event: e},
		})
		require.NoError(t, err)
	}
	rec(core.ReceiptArrived)
	d = v.s.client.Delivery.GetX(v.ctx, d.ID)
	require.Equal(t, delivery.StatusARRIVED, d.Status)
	rec(core.ReceiptOpened)
	require.Equal(t, delivery.StatusOPENED, v.s.client.Delivery.GetX(v.ctx, d.ID).Status)
	rec(core.ReceiptArrived) // late: changes nothing
	require.Equal(t, delivery.StatusOPENED, v.s.client.Delivery.GetX(v.ctx, d.ID).Status)

	// A token-dead receipt kills the token and fails a sent delivery.
	d2, err := v.send(t)
	require.NoError(t, err)
	_, err = v.s.RecordVendorReceipts(v.ctx, v.app.ID, enum.ChannelXiaomi, []core.VendorReceipt{
		{JobID: d2.JobID, Token: "regid-1", Event: core.ReceiptTokenDead, Reason: "Xiaomi receipt 16: target invalid"}})
	require.NoError(t, err)
	d2 = v.s.client.Delivery.GetX(v.ctx, d2.ID)
	require.Equal(t, delivery.StatusFAILED, d2.Status)
	require.Equal(t, "Xiaomi receipt 16: target invalid", d2.LastError)
	require.Equal(t, devicetoken.StatusDEAD, v.token(t, enum.ChannelXiaomi).Status)
}

func TestVendorRetriesStopAtTheCap(t *testing.T) {
	t.Parallel()
	huawei := answer(core.Result{Outcome: core.OutcomeRetry, Reason: "Huawei: 81000001 internal error"})
	v := vendorTest(t, scriptedChannels{enum.ChannelHuawei: huawei}, map[enum.Channel]string{enum.ChannelHuawei: "h"})
	j, err := v.s.Push(v.ctx, simplePush(v.app.ID, jsontype.Target{DeviceIDs: []string{string(v.device.ID)}}, "hi"))
	require.NoError(t, err)
	for range deliver.MaxVendorAttempts - 1 {
		_, err := v.s.Delivery().Send(v.ctx, SendRequest{Job: j.ID})
		var retry *core.ErrRetry
		require.ErrorAs(t, err, &retry)
	}
	_, err = v.s.Delivery().Send(v.ctx, SendRequest{Job: j.ID})
	require.NoError(t, err)
	d, err := v.s.client.Delivery.Query().Where(delivery.JobID(j.ID)).Only(v.ctx)
	require.NoError(t, err)
	require.Equal(t, delivery.StatusFAILED, d.Status)
	require.Equal(t, "gave up after 10 attempts: Huawei: 81000001 internal error", d.LastError)
	require.Equal(t, deliver.MaxVendorAttempts, huawei.sent())
}

func TestABatchOfSuspectTokenErrorsIsAConfigError(t *testing.T) {
	t.Parallel()
	apns := answer(core.Result{Outcome: core.OutcomeTokenDead, Reason: "APNs: 400 BadDeviceToken"})
	v := vendorTest(t, scriptedChannels{enum.ChannelXiaomi: apns}, nil)
	var ids []string
	for i := range deliver.MassKillThreshold {
		d, _, err := v.s.Devices().RegisterDevice(v.ctx, devices.Registration{AppKey: v.app.AppKey, InstallationID: "s" + strconv.Itoa(i),
			Platform: enum.PlatformAndroid, Tokens: map[enum.Channel]string{enum.ChannelXiaomi: "tok" + strconv.Itoa(i)}})
		require.NoError(t, err)
		ids = append(ids, string(d.ID))
	}
	j, err := v.s.Push(v.ctx, simplePush(v.app.ID, jsontype.Target{DeviceIDs: ids}, "hi"))
	require.NoError(t, err)
	_, err = v.s.Delivery().Send(v.ctx, SendRequest{Job: j.ID})
	require.NoError(t, err)
	dead, err := v.s.client.DeviceToken.Query().Where(devicetoken.StatusEQ(devicetoken.StatusDEAD)).Count(v.ctx)
	require.NoError(t, err)
	require.Zero(t, dead, "the environment is wrong, not the tokens")
	cfg, err := v.s.client.ChannelConfig.Query().Where(channelconfig.AppID(v.app.ID)).Only(v.ctx)
	require.NoError(t, err)
	require.Contains(t, cfg.ConfigError, "every one of 5 tokens was refused (APNs: 400 BadDeviceToken)")
}

func TestARotatedTokenIsTriedInsteadOfFailing(t *testing.T) {
	t.Parallel()
	var v vendorSetup
	huawei := &scripted{}
	huawei.answer = func(o core.Outgoing) core.Result {
		if o.Token == "old" {
			// The device rotates its token while the send is in flight.
			require.NoError(t, v.s.Devices().SetDeviceTokens(v.ctx, v.device, map[enum.Channel]string{enum.ChannelHuawei: "new"}))
			return core.Result{Outcome: core.OutcomeTokenDead, Reason: "Huawei: 80300007 all tokens invalid"}
		}
		return core.Result{Outcome: core.OutcomeSent}
	}
	v = vendorTest(t, scriptedChannels{enum.ChannelHuawei: huawei}, map[enum.Channel]string{enum.ChannelHuawei: "old"})
	d, err := v.send(t)
	var retry *core.ErrRetry
	require.ErrorAs(t, err, &retry)
	require.Equal(t, delivery.StatusPENDING, d.Status)
	_, err = v.s.Delivery().Send(v.ctx, SendRequest{Job: d.JobID})
	require.NoError(t, err)
	require.Equal(t, delivery.StatusSENT, v.s.client.Delivery.GetX(v.ctx, d.ID).Status)
	require.Equal(t, "new", huawei.got[1].Token)
}

func TestADeadTokenRegisteredAgainLives(t *testing.T) {
	t.Parallel()
	huawei := answer(core.Result{Outcome: core.OutcomeTokenDead, Reason: "Huawei: 80300007 all tokens invalid"})
	v := vendorTest(t, scriptedChannels{enum.ChannelHuawei: huawei}, map[enum.Channel]string{enum.ChannelHuawei: "h"})
	_, err := v.send(t)
	require.NoError(t, err)
	require.Equal(t, devicetoken.StatusDEAD, v.token(t, enum.ChannelHuawei).Status)
	require.NoError(t, v.s.Devices().SetDeviceTokens(v.ctx, v.device, map[enum.Channel]string{enum.ChannelHuawei: "h"}))
	require.Equal(t, devicetoken.StatusACTIVE, v.token(t, enum.ChannelHuawei).Status)
}

func TestAReceiptChangesOnlyWhatItsChannelCarried(t *testing.T) {
	t.Parallel()
	v := vendorTest(t, scriptedChannels{enum.ChannelXiaomi: answer(core.Result{Outcome: core.OutcomeSent})}, map[enum.Channel]string{enum.ChannelXiaomi: "regid"})
	d, err := v.send(t)
	require.NoError(t, err)
	_, err = v.s.RecordVendorReceipts(v.ctx, v.app.ID, enum.ChannelHuawei, []core.VendorReceipt{{JobID: d.JobID, Token: "regid", Event: core.ReceiptFailed, Reason: "x"}})
	require.NoError(t, err)
	require.Equal(t, delivery.StatusSENT, v.s.client.Delivery.GetX(v.ctx, d.ID).Status)
}
