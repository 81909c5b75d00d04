package hooks

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/auth/signature"
	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/predicate"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/ent/webhook"
	"github.com/pushd/pushd/ent/webhookdelivery"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// Webhook receipts (docs/webhooks.md): every status a delivery reaches is
// reported to the app's webhooks, batched, signed with pushd-sig-v1 and
// the webhook's secret, and retried through the queue.

// Events are the delivery statuses a webhook can subscribe to.
var Events = []string{"SENT", "ARRIVED", "OPENED", "IGNORED", "FAILED", "EXPIRED", "REVOKED"}

// Webhook limits.
const (
	// MaxReceiptsPerPost bounds one webhook request.
	MaxReceiptsPerPost = 500
	// MaxAttempts is how many times a batch is posted before it is
	// dead-lettered (DEAD).
	MaxAttempts = pipeline.MaxWebhookAttempts
	// maxAttemptLog bounds the attempts kept per batch.
	maxAttemptLog = 20
	// maxWebhooksPerApp bounds an app's webhooks.
	maxPerApp = 10
	// receiptPass bounds the deliveries one refresh reports on; the rest
	// go in the next pass.
	receiptPass = 5000
)

// Poster posts a signed batch to a webhook URL (webhook/ fills it,
// with the guard against private addresses).
type Poster interface {
	Post(ctx context.Context, url string, header http.Header, body []byte) (status int, err error)
}

// Input is createWebhook's input.
type Input struct {
	AppID  nodeid.ID
	URL    string
	Events []string // empty: all
}

func webhookAD(app, id nodeid.ID) seal.AD {
	return seal.AD{AppID: string(app), Kind: "webhook.secret", RecordID: string(id)}
}

// CheckURL validates a webhook URL. Hosts that are special-purpose
// addresses, spelled as numbers in another form, or this machine's names
// are refused unless p lets them through (the poster checks again at
// connect time, after DNS, so a name cannot be pointed inside later).
func CheckURL(raw string, p egress.Policy) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return core.Invalid("url", "must be an absolute http:// or https:// URL")
	}
	if u.User != nil {
		return core.Invalid("url", "must not carry a user name or password")
	}
	if len(raw) > 2048 {
		return core.Invalid("url", "at most 2048 bytes")
	}
	host := u.Hostname()
	if egress.NumericHost(host) {
		return core.Invalid("url", "has host %q, an address in a non-standard spelling: write it as a name or a dotted address", host)
	}
	if p.Any {
		return nil
	}
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return core.Invalid("url", "must not point at this machine (PUSHD_EGRESS_ALLOW opens address blocks)")
	}
	if a, err := netip.ParseAddr(host); err == nil {
		if err := p.Check(a); err != nil {
			return core.Invalid("url", "%v", err)
		}
	}
	return nil
}

// Create registers a webhook and returns its signing secret, shown
// only now (it is sealed at rest).
func (s *Service) Create(ctx context.Context, in Input) (*ent.Webhook, string, error) {
	if err := tenant.Require(ctx, in.AppID, tenant.NeedOwner); err != nil {
		return nil, "", err
	}
	if err := CheckURL(in.URL, s.egress); err != nil {
		return nil, "", err
	}
	for _, e := range in.Events {
		if !slices.Contains(Events, e) {
			return nil, "", core.Invalid("events", "unknown event %q", e)
		}
	}
	n, err := s.client.Webhook.Query().Where(webhook.AppID(in.AppID)).Count(ctx)
	if err != nil {
		return nil, "", err
	}
	if n >= maxPerApp {
		return nil, "", core.Invalid("appID", "an app has at most %d webhooks", maxPerApp)
	}
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	secret := "whsec_" + base64.RawURLEncoding.EncodeToString(raw[:])
	id := nodeid.New("whk")
	sealed, err := s.sealer.Seal([]byte(secret), webhookAD(in.AppID, id))
	if err != nil {
		return nil, "", err
	}
	w, err := s.client.Webhook.Create().SetID(id).SetAppID(in.AppID).SetURL(strings.TrimSpace(in.URL)).
		SetEvents(core.Unique(in.Events)).SetSecretSealed(sealed).Save(ctx)
	if err != nil {
		return nil, "", err
	}
	s.hooks.Forget(in.AppID)
	return w, secret, nil
}

// Delete removes a webhook and its pending batches.
func (s *Service) Delete(ctx context.Context, id nodeid.ID) error {
	w, err := s.client.Webhook.Get(ctx, id)
	if err != nil {
		return core.NotFoundAs(err, "webhook")
	}
	if err := tenant.Require(ctx, w.AppID, tenant.NeedOwner); err != nil {
		return err
	}
	if err := s.client.Webhook.DeleteOne(w).Exec(ctx); err != nil {
		return err
	}
	s.hooks.Forget(w.AppID)
	return nil
}

// Receipt is one delivery status reported to a webhook.
type Receipt struct {
	// ID is unique per delivery and status: receivers deduplicate by it.
	ID         string    `json:"id"`
	Status     string    `json:"status"`
	DeliveryID string    `json:"deliveryID"`
	JobID      string    `json:"jobID"`
	DeviceID   string    `json:"deviceID,omitempty"`
	MsgKey     string    `json:"msgKey,omitempty"`
	Channel    string    `json:"channel,omitempty"`
	Error      string    `json:"error,omitempty"`
	At         time.Time `json:"at"`
}

// receiptBatch is the body of one webhook request.
type receiptBatch struct {
	WebhookID string    `json:"webhookID"`
	Receipts  []Receipt `json:"receipts"`
}

// impliedStatuses lists what a delivery that is now in status went
// through since notified, in order: a device that acked and opened
// between two passes still reports SENT, ARRIVED and OPENED.
func impliedStatuses(notified, status string) []string {
	chain := []string{"SENT", "ARRIVED"}
	switch status {
	case "SENT":
		chain = chain[:1]
	case "ARRIVED":
	case "OPENED", "IGNORED":
		chain = append(chain, status)
	default: // FAILED, EXPIRED, REVOKED: final, whatever came before
		return []string{status}
	}
	if i := slices.Index(chain, notified); i >= 0 {
		return chain[i+1:]
	}
	return chain
}

// QueueReceipts reports a job's deliveries whose status moved since their
// last report to the app's webhooks: the batches and their queue tasks
// are written with the new report marks in one transaction.
func (s *Service) QueueReceipts(ctx context.Context, job *ent.PushJob) error {
	sys := tenant.AsSystem(ctx)
	jobID := job.ID
	hooks, err := s.appHooks(sys, job.AppID)
	if err != nil || len(hooks) == 0 {
		return err
	}
	var outbox []*ent.Outbox
	more := false
	err = core.WithTx(sys, s.client, func(tx *ent.Tx) error {
		if s.dialect == dialect.Postgres {
			if _, err := tx.ExecContext(sys, `SELECT pg_advisory_xact_lock(hashtext('receipts:' || $1))`, string(jobID)); err != nil {
				return err
			}
		}
		ds, err := tx.Delivery.Query().
			Where(delivery.JobID(jobID), delivery.DeviceIDNotNil(), delivery.StatusNotIn(delivery.StatusPENDING, delivery.StatusSENDING),
				predicate.Delivery(func(sel *entsql.Selector) {
					sel.Where(entsql.ColumnsNEQ(sel.C(delivery.FieldStatus), sel.C(delivery.FieldNotified)))
				})).
			Limit(receiptPass).All(sys)
		if err != nil || len(ds) == 0 {
			return err
		}
		more = len(ds) == receiptPass
		byStatus, receipts := receiptsOf(ds)
		batches, err := writeBatches(sys, tx, hooks, receipts)
		if err != nil {
			return err
		}
		outbox = batches
		for st, ids := range byStatus {
			if err := tx.Delivery.Update().Where(delivery.IDIn(ids...)).SetNotified(st).Exec(sys); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("queue receipts: %w", err)
	}
	s.outbox.Relay(sys, outbox)
	if more {
		s.mark(sys, jobID) // the rest in the next pass
	}
	return nil
}

// receiptsOf turns deliveries into the receipts they owe (every status
// reached since the last report), and groups them by their status now.
func receiptsOf(ds []*ent.Delivery) (map[string][]nodeid.ID, []Receipt) {
	byStatus := map[string][]nodeid.ID{}
	var receipts []Receipt
	for _, d := range ds {
		st := d.Status.String()
		byStatus[st] = append(byStatus[st], d.ID)
		for _, e := range impliedStatuses(d.Notified, st) {
			r := Receipt{ID: string(d.ID) + ":" + e, Status: e, DeliveryID: string(d.ID), JobID: string(d.JobID),
				Error: d.LastError, At: d.UpdatedAt.UTC()}
			if d.DeviceID != nil {
				r.DeviceID = string(*d.DeviceID)
			}
			if d.MsgKey != nil {
				r.MsgKey = *d.MsgKey
			}
			if d.Channel != nil {
				r.Channel = string(*d.Channel)
			}
			if e != "FAILED" {
				r.Error = ""
			}
			receipts = append(receipts, r)
		}
	}
	return byStatus, receipts
}

// writeBatches stores each webhook's share of the receipts in batches of
// at most MaxReceiptsPerPost, each with the outbox row of its post.
func writeBatches(ctx context.Context, tx *ent.Tx, hooks []*ent.Webhook, receipts []Receipt) ([]*ent.Outbox, error) {
	var outbox []*ent.Outbox
	for _, h := range hooks {
		var mine []Receipt
		for _, r := range receipts {
			if len(h.Events) == 0 || slices.Contains(h.Events, r.Status) {
				mine = append(mine, r)
			}
		}
		for _, part := range core.Chunks(mine, MaxReceiptsPerPost) {
			body, err := json.Marshal(receiptBatch{WebhookID: string(h.ID), Receipts: part})
			if err != nil {
				return nil, err
			}
			b, err := tx.WebhookDelivery.Create().SetAppID(h.AppID).SetWebhookID(h.ID).
				SetReceipts(len(part)).SetBody(body).Save(ctx)
			if err != nil {
				return nil, err
			}
			ob, err := pipeline.OutboxRow(tx, h.AppID, pipeline.NewTask(pipeline.Webhook{Delivery: b.ID}, pipeline.QueueDefault, "")).Save(ctx)
			if err != nil {
				return nil, err
			}
			outbox = append(outbox, ob)
		}
	}
	return outbox, nil
}

// appHooks returns an app's enabled webhooks (cached: receipts are
// considered on every refresh, and most apps have none).
func (s *Service) appHooks(ctx context.Context, app nodeid.ID) ([]*ent.Webhook, error) {
	now := s.now()
	if hooks, ok := s.hooks.Get(app, now); ok {
		return hooks, nil
	}
	hooks, err := s.client.Webhook.Query().Where(webhook.AppID(app), webhook.Enabled(true)).All(ctx)
	if err != nil {
		return nil, err
	}
	s.hooks.Put(app, now, hooks)
	return hooks, nil
}

// ErrPostFailed is returned (wrapped) when a post did not succeed and
// the batch will be tried again.
var ErrPostFailed = errors.New("webhook post failed")

// Deliver posts one batch of receipts, signed, and records the
// attempt. last says whether the queue will not try again: a batch that
// fails then is dead-lettered (DEAD). It returns ErrWebhookFailed
// (wrapped) when the post failed and should be retried.
func (s *Service) Deliver(ctx context.Context, id nodeid.ID, last bool) error {
	sys := tenant.AsSystem(ctx)
	b, err := s.client.WebhookDelivery.Get(sys, id)
	if ent.IsNotFound(err) {
		return nil // its webhook was deleted
	}
	if err != nil {
		return err
	}
	if b.Status != webhookdelivery.StatusPENDING {
		return nil
	}
	h, err := s.client.Webhook.Get(sys, b.WebhookID)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	secret, err := s.sealer.Open(h.SecretSealed, webhookAD(h.AppID, h.ID))
	if err != nil {
		return err
	}
	start := time.Now()
	attempt := jsontype.WebhookAttempt{At: s.now()}
	status, postErr := s.postSigned(ctx, h, string(secret), b.Body)
	attempt.DurationMS = time.Since(start).Milliseconds()
	attempt.StatusCode = status
	ok := postErr == nil && status >= 200 && status < 300
	switch {
	case postErr != nil:
		attempt.Error = postErr.Error()
	case !ok:
		attempt.Error = fmt.Sprintf("answered %d", status)
	}
	log := append(b.AttemptLog, attempt)
	if len(log) > maxAttemptLog {
		log = log[len(log)-maxAttemptLog:]
	}
	upd := s.client.WebhookDelivery.UpdateOne(b).SetAttempts(b.Attempts + 1).SetAttemptLog(log)
	switch {
	case ok:
		upd.SetStatus(webhookdelivery.StatusDELIVERED).SetDeliveredAt(s.now())
	case last || b.Attempts+1 >= MaxAttempts:
		upd.SetStatus(webhookdelivery.StatusDEAD)
	}
	if err := upd.Exec(sys); err != nil {
		return err
	}
	if ok || last || b.Attempts+1 >= MaxAttempts {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrPostFailed, attempt.Error)
}

func (s *Service) postSigned(ctx context.Context, h *ent.Webhook, secret string, body []byte) (int, error) {
	if s.poster == nil {
		return 0, errors.New("webhooks are not available in this process")
	}
	u, err := url.Parse(h.URL)
	if err != nil {
		return 0, err
	}
	signer := signature.Signer{KeyID: string(h.ID), Algorithm: signature.HMACSHA256, Secret: secret}
	header, err := signer.Headers(http.MethodPost, u.RequestURI(), body)
	if err != nil {
		return 0, err
	}
	header.Set("Content-Type", "application/json")
	return s.poster.Post(ctx, h.URL, header, body)
}

// webhookStall is how long a pending batch may sit untouched before the
// reconciler queues it again (its task was lost with Redis): longer than
// the longest backoff between two tries.
const stall = 10 * time.Minute

// RetryLost queues again up to limit pending batches that no
// task touched for webhookStall, and returns how many.
func (s *Service) RetryLost(ctx context.Context, limit int) (int, error) {
	sys := tenant.AsSystem(ctx)
	if s.queue == nil {
		return 0, nil
	}
	lost, err := s.client.WebhookDelivery.Query().
		Where(webhookdelivery.StatusEQ(webhookdelivery.StatusPENDING), webhookdelivery.UpdatedAtLT(s.now().Add(-stall))).
		Limit(limit).All(sys)
	if err != nil || len(lost) == 0 {
		return 0, err
	}
	tasks := make([]pipeline.Task, len(lost))
	ids := make([]nodeid.ID, len(lost))
	for i, b := range lost {
		// A new ID per round: the lost task's ID may still be taken.
		tasks[i] = pipeline.NewTask(pipeline.Webhook{Delivery: b.ID}, pipeline.QueueDefault, fmt.Sprint("lost@", s.now().Unix()))
		ids[i] = b.ID
	}
	if err := s.queue.Enqueue(sys, tasks); err != nil {
		return 0, err
	}
	// Touched, so the next round leaves them to the tasks just queued.
	return len(lost), s.client.WebhookDelivery.Update().Where(webhookdelivery.IDIn(ids...)).SetUpdatedAt(s.now()).Exec(sys)
}
