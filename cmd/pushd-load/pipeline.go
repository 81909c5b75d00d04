package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"
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
	fs := flag.NewFlagSet("pipeline", flag.ContinueOnError)
	dbURL := fs.String("database-url", "postgres://postgres@127.0.0.1:5432/pushd_bench?sslmode=disable", "PostgreSQL (loopback only; its tables are filled)")
	redisURL := fs.String("redis-url", "redis://127.0.0.1:6379/5", "Redis (loopback only)")
	n := fs.Int("n", 100_000, "devices (at most 200000)")
	concurrency := fs.Int("c", 20, "worker concurrency, as PUSHD_WORKER_CONCURRENCY")
	latency := fs.Duration("latency", 0, "latency the stand-in vendor adds to every batch")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the broadcast to this file")
	vendors := fs.Bool("vendors", false, "send through the vendor fakes (APNs, FCM, Huawei, Xiaomi; a quarter of the devices each) instead of the discarding stand-in")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *n > 200_000 {
		return fmt.Errorf("-n must be 1..200000")
	}
	if err := loopbackOnly(*dbURL, *redisURL); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	stores, err := store.Open(ctx, store.Options{DatabaseURL: *dbURL, RedisURL: *redisURL}, log)
	if err != nil {
		return err
	}
	defer stores.Close()
	if err := stores.Migrate(ctx); err != nil {
		return err
	}
	sealer, err := seal.New(make([]byte, 32))
	if err != nil {
		return err
	}
	ns := fmt.Sprintf("bench%d", time.Now().UnixNano()%1e9)
	queue := worker.NewQueue(stores.RedisOpt, ns)
	defer queue.Close()
	fcm := &pushtest.DiscardSender{Latency: *latency}
	cfg := push.Config{
		Client: stores.Ent, Relaxed: stores.Relaxed, Sealer: sealer, Broker: pubsub.NewRedis(stores.Redis, ns+":"),
		Self: gateway.NewRouter(stores.Redis, ns+":"), Queue: queue, Marks: pubsub.NewJobMarks(stores.Redis, ns+":"),
		Senders: map[enum.Channel]core.Sender{enum.ChannelFCM: fcm}, Dialect: stores.Dialect, Logger: log,
	}
	var fakes *vendorFakes
	if *vendors {
		if fakes, err = startVendorFakes(*latency, log); err != nil {
			return err
		}
		defer fakes.Close()
		cfg.Senders, cfg.Channels = nil, fakes.registry
	}
	svc := push.NewService(cfg)
	sys := tenant.AsSystem(ctx)
	app, err := svc.CreateApp(sys, ent.CreateAppInput{Name: "pipeline-" + ns})
	if err != nil {
		return err
	}
	start := time.Now()
	channels := []enum.Channel{enum.ChannelFCM}
	if fakes != nil {
		if err := fakes.configure(sys, svc, app.ID); err != nil {
			return err
		}
		channels = vendorChannels
	}
	if err := insertDevices(sys, stores.Ent, app.ID, *n, channels); err != nil {
		return err
	}
	fmt.Printf("registered %d offline devices with tokens of %v in %s\n", *n, channels, time.Since(start).Round(time.Millisecond))

	wk := worker.New(worker.Config{Redis: stores.RedisOpt, Logger: log, Concurrency: *concurrency, ShutdownTimeout: 30 * time.Second, Namespace: ns})
	wk.RegisterPipeline(svc)
	if err := wk.Start(); err != nil {
		return err
	}
	defer wk.Shutdown(context.Background())
	mctx, stop := context.WithCancel(ctx)
	defer stop()
	go worker.RunMaintenance(mctx, svc, worker.MaintenanceConfig{}, log)

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start = time.Now()
	job, err := svc.Push(sys, push.PushRequest{
		AppID: app.ID, Kind: enum.PushKindBroadcast,
		Message: &jsontype.Message{Title: "benchmark", Body: strings.Repeat("x", 150)},
	})
	if err != nil {
		return err
	}
	accepted := time.Since(start)
	var first time.Duration
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if first == 0 {
			if ok, err := stores.Ent.Delivery.Query().Where(delivery.JobID(job.ID), delivery.StatusNotIn(delivery.StatusPENDING, delivery.StatusSENDING)).Exist(sys); err == nil && ok {
				first = time.Since(start)
			}
		} else {
			// The job's own status, as a backend watching it sees it: a
			// count of its deliveries at every poll would itself take a
			// core of the database on this machine.
			j, err := stores.Ent.PushJob.Get(sys, job.ID)
			if err != nil {
				return err
			}
			if j.Status == pushjob.StatusDONE {
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	all := time.Since(start)
	if left, err := stores.Ent.Delivery.Query().Where(delivery.JobID(job.ID), delivery.StatusIn(delivery.StatusPENDING, delivery.StatusSENDING)).Count(sys); err != nil || left > 0 {
		return fmt.Errorf("job DONE with %d deliveries not final (%v)", left, err)
	}
	got := fmt.Sprintf("vendor stand-in got %d", fcm.Sent())
	if fakes != nil {
		if got, err = report(sys, stores.Ent, job.ID); err != nil {
			return err
		}
		// What the devices see; the job's DONE follows by up to a refresh.
		_, last := fakes.Accepted()
		got += fmt.Sprintf("; the last message reached its fake after %s", last.Sub(start).Round(time.Millisecond))
	}
	sent, err := stores.Ent.Delivery.Query().Where(delivery.JobID(job.ID), delivery.StatusEQ(delivery.StatusSENT)).Count(sys)
	if err != nil {
		return err
	}
	fmt.Printf("broadcast to %d devices: accepted in %s, first delivery final after %s, all final after %s: %.0f deliveries/s, %d sent (%s)\n",
		*n, accepted.Round(time.Millisecond), first.Round(time.Millisecond), all.Round(time.Millisecond),
		float64(*n)/all.Seconds(), sent, got)
	return nil
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
			if channels[(from+i)%len(channels)] == enum.ChannelAPNs {
				platform = enum.PlatformIOS
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
