package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/pushd/pushd/provider/providertest"
	"github.com/pushd/pushd/push"
)

// fakesCommand runs the vendor fakes (APNs production and sandbox, FCM,
// Huawei, Xiaomi) until interrupted, for demos and load runs: it writes
// their CA certificate and credentials into a directory and prints the
// settings that point pushd at them.
func fakesCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pushd fakes", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "./pushd-fakes", "directory for the CA certificate and the credentials")
	latency := fs.Duration("latency", 0, "delay every vendor answer by this much (e.g. 20ms)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := runFakes(ctx, *dir, *latency, stdout); err != nil {
		fmt.Fprintf(stderr, "pushd fakes: %v\n", err)
		return 1
	}
	return 0
}

// fakeSet is every vendor fake, started.
type fakeSet struct {
	APNsProduction, APNsSandbox *providertest.APNsFake
	FCM                         *providertest.FCMFake
	Huawei                      *providertest.HuaweiFake
	Xiaomi                      *providertest.XiaomiFake
}

func startFakes(latency time.Duration) (*fakeSet, error) {
	var f fakeSet
	var err error
	if f.APNsProduction, err = providertest.StartAPNs(providertest.APNsOptions{Environment: push.APNsProduction}); err != nil {
		return nil, err
	}
	if f.APNsSandbox, err = providertest.StartAPNs(providertest.APNsOptions{Environment: push.APNsSandbox}); err != nil {
		f.Close()
		return nil, err
	}
	if f.FCM, err = providertest.StartFCM(providertest.FCMOptions{}); err != nil {
		f.Close()
		return nil, err
	}
	if f.Huawei, err = providertest.StartHuawei(providertest.HuaweiOptions{}); err != nil {
		f.Close()
		return nil, err
	}
	if f.Xiaomi, err = providertest.StartXiaomi(providertest.XiaomiOptions{}); err != nil {
		f.Close()
		return nil, err
	}
	for _, c := range []*providertest.Chaos{&f.APNsProduction.Chaos, &f.APNsSandbox.Chaos, &f.FCM.Chaos, &f.Huawei.Chaos, &f.Xiaomi.Chaos} {
		c.SetLatency(latency)
	}
	return &f, nil
}

// Env returns the settings that point pushd at the fakes.
func (f *fakeSet) Env(caFile string) map[string]string {
	return map[string]string{
		"PUSHD_APNS_PRODUCTION_URL": f.APNsProduction.URL,
		"PUSHD_APNS_SANDBOX_URL":    f.APNsSandbox.URL,
		"PUSHD_FCM_URL":             f.FCM.URL + "/v1",
		"PUSHD_HUAWEI_URL":          f.Huawei.URL,
		"PUSHD_HUAWEI_AUTH_URL":     f.Huawei.TokenURL(),
		"PUSHD_XIAOMI_URL":          f.Xiaomi.URL,
		"PUSHD_PROVIDER_CA_FILE":    caFile,
	}
}

// Close stops the fakes that started.
func (f *fakeSet) Close() {
	if f.APNsProduction != nil {
		f.APNsProduction.Close()
	}
	if f.APNsSandbox != nil {
		f.APNsSandbox.Close()
	}
	if f.FCM != nil {
		f.FCM.Close()
	}
	if f.Huawei != nil {
		f.Huawei.Close()
	}
	if f.Xiaomi != nil {
		f.Xiaomi.Close()
	}
}

func runFakes(ctx context.Context, dir string, latency time.Duration, stdout io.Writer) error {
	f, err := startFakes(latency)
	if err != nil {
		return err
	}
	defer f.Close()
	// Nobody reads the logs of a demo: keep them from growing for ever.
	for _, a := range []*providertest.APNsFake{f.APNsProduction, f.APNsSandbox} {
		a.Log.Keep(1000)
	}
	f.FCM.Sends.Keep(1000)
	f.Huawei.Requests.Keep(1000)
	f.Huawei.Receipts.Keep(1000)
	f.Xiaomi.Sends.Keep(1000)
	f.Xiaomi.Receipts.Keep(1000)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	caFile, err := filepath.Abs(filepath.Join(dir, "ca.pem"))
	if err != nil {
		return err
	}
	// Every fake serves the same test certificate.
	if err := os.WriteFile(caFile, f.FCM.CAPEM(), 0o600); err != nil {
		return err
	}
	creds := map[string]any{
		"apns-production": f.APNsProduction.Credentials(),
		"apns-sandbox":    f.APNsSandbox.Credentials(),
		"fcm":             f.FCM.Credentials(),
		"huawei":          f.Huawei.Credentials(),
		"xiaomi":          f.Xiaomi.Credentials(),
	}
	for name, c := range creds {
		b, _ := json.MarshalIndent(c, "", "  ")
		if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o600); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "vendor fakes running (answer latency %s); start pushd with:\n\n", latency)
	env := f.Env(caFile)
	for _, k := range []string{"PUSHD_APNS_PRODUCTION_URL", "PUSHD_APNS_SANDBOX_URL", "PUSHD_FCM_URL", "PUSHD_HUAWEI_URL", "PUSHD_HUAWEI_AUTH_URL", "PUSHD_XIAOMI_URL", "PUSHD_PROVIDER_CA_FILE"} {
		fmt.Fprintf(stdout, "  export %s=%s\n", k, env[k])
	}
	fmt.Fprintf(stdout, "\nand configure an app's channels with the credentials in %s/*.json (setChannelConfig).\nCtrl-C stops the fakes.\n", dir)
	<-ctx.Done()
	return nil
}
