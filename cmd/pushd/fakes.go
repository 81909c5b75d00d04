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

func runFakes(ctx context.Context, dir string, latency time.Duration, stdout io.Writer) error {
	f, err := providertest.StartSet(latency)
	if err != nil {
		return err
	}
	defer f.Close()
	f.Keep(1000) // nobody reads the logs of a demo: keep them from growing for ever
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	caFile, err := filepath.Abs(filepath.Join(dir, "ca.pem"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(caFile, f.CAPEM(), 0o600); err != nil {
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
	for _, k := range []string{"PUSHD_APNS_PRODUCTION_URL", "PUSHD_APNS_SANDBOX_URL", "PUSHD_FCM_URL", "PUSHD_FCM_AUTH_URL", "PUSHD_HUAWEI_URL", "PUSHD_HUAWEI_AUTH_URL", "PUSHD_XIAOMI_URL", "PUSHD_PROVIDER_CA_FILE"} {
		fmt.Fprintf(stdout, "  export %s=%s\n", k, env[k])
	}
	fmt.Fprintf(stdout, "\nand configure an app's channels with the credentials in %s/*.json (setChannelConfig).\nCtrl-C stops the fakes.\n", dir)
	<-ctx.Done()
	return nil
}
