package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/pubsub"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/pushtest"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/tenant"
	"github.com/pushd/pushd/worker"
)

// pipeline measures the push pipeline alone: n registered devices that
// are offline with an FCM token, one broadcast, and a discarding stand-in
// for FCM (pushtest.DiscardSender). The domain service and the worker run
// in this process, wired as `pushd serve` wires them, on the PostgreSQL and
// Redis given. It reports the time to the first delivery sent and until
// every delivery is final, and the deliveries per second.
func pipeline(ctx context.Context, args []string) error {
	opt, err := parsePipelineFlags(args)
	if err != nil {
		return err
	}
	b, err := openPipelineBench(ctx, opt)
	if err != nil {
		return err
	}
	defer b.close()
	sys := tenant.AsSystem(ctx)
	if err := b.register(sys, opt.n); err != nil {
		return err
	}
	wk := worker.New(worker.Config{Redis: b.stores.RedisOpt, Logger: b.log, Concurrency: opt.concurrency, ShutdownTimeout: 30 * time.Second, Namespace: b.ns})
	wk.RegisterPipeline(b.svc)
	if err := wk.Start(); err != nil {
		return err
	}
	defer wk.Shutdown(context.Background())
	mctx, stop := context.WithCancel(ctx)
	defer stop()
	go worker.RunMaintenance(mctx, b.svc, worker.MaintenanceConfig{}, b.log)

	if opt.cpuProfile != "" {
		f, err := os.Create(opt.cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	return b.broadcast(ctx, sys, opt.n)
}

type pipelineFlags struct {
	dbURL, redisURL string
	n, concurrency  int
	latency         time.Duration
	cpuProfile      string
	vendors         bool
	only            []enum.Channel
	classification  string
}

func parsePipelineFlags(args []string) (pipelineFlags, error) {
	var o pipelineFlags
	fs := flag.NewFlagSet("pipeline", flag.ContinueOnError)
	fs.StringVar(&o.dbURL, "database-url", "postgres://postgres@127.0.0.1:5432/pushd_bench?sslmode=disable", "PostgreSQL (loopback only; its tables are filled)")
	fs.StringVar(&o.redisURL, "redis-url", "redis://127.0.0.1:6379/5", "Redis (loopback only)")
	fs.IntVar(&o.n, "n", 100_000, "devices (at most 200000)")
	fs.IntVar(&o.concurrency, "c", 20, "worker concurrency, as PUSHD_WORKER_CONCURRENCY")
	fs.DurationVar(&o.latency, "latency", 0, "latency the stand-in vendor adds to every batch")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the broadcast to this file")
	fs.BoolVar(&o.vendors, "vendors", false, "send through the vendor fakes (APNs, FCM, Huawei, Xiaomi, OPPO, vivo, Honor, HarmonyOS, Meizu; a ninth of the devices each) instead of the discarding stand-in")
	only := fs.String("only", "", "with -vendors, spread the devices over these channels only (comma-separated, e.g. APNS for the comparison with a single-vendor sender)")
	fs.StringVar(&o.classification, "classification", "IM", "the message's classification: a service one (IM) goes at any hour and is not counted against the vendors' daily caps; a marketing one (MARKETING) is counted")
	err := fs.Parse(args)
	if err != nil {
		return o, err
	}
	if o.n < 1 || o.n > 200_000 {
		return o, fmt.Errorf("-n must be 1..200000")
	}
	if o.only, err = parseOnly(*only); err != nil {
		return o, err
	}
	return o, loopbackOnly(o.dbURL, o.redisURL)
}

// pipelineBench is one pipeline run's wiring: stores, the domain service
// on its own Redis namespace, the vendor fakes or the stand-in, and the app.
type pipelineBench struct {
	stores   *store.Stores
	queue    *worker.Queue
	svc      *push.Service
	log      *slog.Logger
	ns       string
	fcm      *pushtest.DiscardSender
	fakes    *vendorFakes
	app      nodeid.ID
	channels []enum.Channel
	only     []enum.Channel
	class    string
	closers  []func()
}

func openPipelineBench(ctx context.Context, opt pipelineFlags) (b *pipelineBench, err error) {
	b = &pipelineBench{class: opt.classification, only: opt.only, log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	defer func() {
		if err != nil {
			b.close()
		}
	}()
	if b.stores, err = store.Open(ctx, store.Options{DatabaseURL: opt.dbURL, RedisURL: opt.redisURL}, b.log); err != nil {
		return nil, err
	}
	b.closers = append(b.closers, func() { b.stores.Close() })
	if err := b.stores.Migrate(ctx); err != nil {
		return nil, err
	}
	sealer, err := seal.New(make([]byte, 32))
	if err != nil {
		return nil, err
	}
	b.ns = fmt.Sprintf("bench%d", time.Now().UnixNano()%1e9)
	b.queue = worker.NewQueue(b.stores.RedisOpt, b.ns)
	b.closers = append(b.closers, func() { b.queue.Close() })
	b.fcm = &pushtest.DiscardSender{Latency: opt.latency}
	cfg := push.Config{
		Client: b.stores.Ent, Relaxed: b.stores.Relaxed, Sealer: sealer, Broker: pubsub.NewRedis(b.stores.Redis, b.ns+":"),
		Self: gateway.NewRouter(b.stores.Redis, b.ns+":"), Queue: b.queue, Marks: pubsub.NewJobMarks(b.stores.Redis, b.ns+":"),
		Senders: map[enum.Channel]core.Sender{enum.ChannelFCM: b.fcm}, Dialect: b.stores.Dialect, Logger: b.log,
	}
	if opt.vendors {
		if b.fakes, err = startVendorFakes(opt.latency, b.log); err != nil {
			return nil, err
		}
		b.closers = append(b.closers, b.fakes.Close)
		cfg.Senders, cfg.Channels = nil, b.fakes.registry
	}
	b.svc = push.NewService(cfg)
	return b, nil
}

func (b *pipelineBench) close() {
	for _, c := range slices.Backward(b.closers) {
		c()
	}
}

// register makes the app, its vendor credentials when the fakes are on,
// and n offline devices with tokens.
func (b *pipelineBench) register(sys context.Context, n int) error {
	app, err := b.svc.CreateApp(sys, ent.CreateAppInput{Name: "pipeline-" + b.ns})
	if err != nil {
		return err
	}
	b.app = app.ID
	start := time.Now()
	b.channels = []enum.Channel{enum.ChannelFCM}
	if b.fakes != nil {
		if err := b.fakes.configure(sys, b.svc, app.ID); err != nil {
			return err
		}
		b.channels = vendorChannels
		if len(b.only) > 0 {
			b.channels = b.only
		}
	}
	if err := insertDevices(sys, b.stores.Ent, app.ID, n, b.channels); err != nil {
		return err
	}
	fmt.Printf("registered %d offline devices with tokens of %v in %s\n", n, b.channels, time.Since(start).Round(time.Millisecond))
	return nil
}

// broadcast pushes to every device, waits until the job is DONE and
// reports the times and rate.
func (b *pipelineBench) broadcast(ctx, sys context.Context, n int) error {
	cpu := markCPU()
	start := time.Now()
	job, err := b.svc.Push(sys, push.PushRequest{
		AppID: b.app, Kind: enum.PushKindBroadcast,
		// By default a communication message: the vendors that classify
		// deliver it at any hour (vivo holds others for its daytime window).
		Message: &jsontype.Message{Title: "benchmark", Body: strings.Repeat("x", 150), Classification: b.class},
	})
	if err != nil {
		return err
	}
	accepted := time.Since(start)
	first, err := b.waitDone(ctx, sys, job.ID, start)
	if err != nil {
		return err
	}
	all := time.Since(start)
	cost := cpu.perThousand(n)
	got, err := b.outcome(sys, job.ID, start)
	if err != nil {
		return err
	}
	sent, err := b.stores.Ent.Delivery.Query().Where(delivery.JobID(job.ID), delivery.StatusEQ(delivery.StatusSENT)).Count(sys)
	if err != nil {
		return err
	}
	fmt.Printf("broadcast to %d devices: accepted in %s, first message at the vendor after %s, all final after %s: %.0f deliveries/s, %d sent (%s)\n",
		n, accepted.Round(time.Millisecond), first.Round(time.Millisecond), all.Round(time.Millisecond),
		float64(n)/all.Seconds(), sent, got)
	fmt.Println(cost)
	return nil
}

// waitDone polls the job's status, as a backend watching it would, until
// it is DONE, and returns when its first message reached the vendor (a
// fake, or the stand-in). The first message is read from the sink, not
// from the database: a query for it at every poll would itself cost the
// database a part of a core.
func (b *pipelineBench) waitDone(ctx, sys context.Context, job nodeid.ID, start time.Time) (first time.Duration, err error) {
	for {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		j, err := b.stores.Ent.PushJob.Get(sys, job)
		if err != nil {
			return 0, err
		}
		if j.Status == pushjob.StatusDONE {
			at := b.fcm.First()
			if b.fakes != nil {
				at = b.fakes.FirstRequest()
			}
			return at.Sub(start), nil
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// outcome checks that every delivery is final and says what the vendors
// (or the stand-in) received.
func (b *pipelineBench) outcome(sys context.Context, job nodeid.ID, start time.Time) (string, error) {
	if left, err := b.stores.Ent.Delivery.Query().Where(delivery.JobID(job), delivery.StatusIn(delivery.StatusPENDING, delivery.StatusSENDING)).Count(sys); err != nil || left > 0 {
		return "", fmt.Errorf("job DONE with %d deliveries not final (%v)", left, err)
	}
	if b.fakes == nil {
		return fmt.Sprintf("vendor stand-in got %d, the last after %s", b.fcm.Sent(), b.fcm.Last().Sub(start).Round(time.Millisecond)), nil
	}
	got, err := report(sys, b.stores.Ent, job)
	if err != nil {
		return "", err
	}
	// What the devices see; the job's DONE follows by up to a refresh.
	_, last := b.fakes.Accepted()
	reqs := b.fakes.Requests()
	got += "; requests:"
	for _, k := range slices.Sorted(maps.Keys(reqs)) {
		got += fmt.Sprintf(" %s %d", k, reqs[k])
	}
	return got + fmt.Sprintf("; the last message reached its fake after %s", last.Sub(start).Round(time.Millisecond)), nil
}

// insertDevices writes n devices, each with a token of one of the channels
// in turn, 2,000 per statement (registering them one by one through the
// device API would measure the API, not the pipeline).
func insertDevices(ctx context.Context, c *ent.Client, app nodeid.ID, n int, channels []enum.Channel) error {
	const chunk = 2000
	for from := 0; from < n; from += chunk {
		size := min(chunk, n-from)
		devs := make([]*ent.DeviceCreate, size)
		for i := range devs {
			platform := enum.PlatformAndroid
			switch channels[(from+i)%len(channels)] {
			case enum.ChannelAPNs:
				platform = enum.PlatformIOS
			case enum.ChannelHarmony:
				platform = enum.PlatformHarmony
			}
			devs[i] = c.Device.Create().SetAppID(app).SetInstallationID(fmt.Sprintf("bench-%d", from+i)).
				SetPlatform(platform).SetAppVersion("1.0")
		}
		created, err := c.Device.CreateBulk(devs...).Save(ctx)
		if err != nil {
			return err
		}
		toks := make([]*ent.DeviceTokenCreate, size)
		for i, d := range created {
			ch := channels[(from+i)%len(channels)]
			toks[i] = c.DeviceToken.Create().SetAppID(app).SetDeviceID(d.ID).SetChannel(ch).
				SetToken(fmt.Sprintf("%x", 0xbe0000000+from+i)) // hex: APNs wants it
		}
		if err := c.DeviceToken.CreateBulk(toks...).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}
