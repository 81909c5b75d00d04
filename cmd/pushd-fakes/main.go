// Command pushd-fakes runs local fakes of the vendor push services (APNs
// production and sandbox, FCM, Huawei, Xiaomi, OPPO, vivo, Honor, Meizu, HarmonyOS) until interrupted,
// for demos, the console's browser tests and load runs: it writes their CA
// certificate and credentials into a directory and prints the settings
// that point pushd at them. It is a command of its own so that the fakes
// stay out of the pushd binary that runs in production.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/pushd/pushd/provider/providertest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: it returns the exit code, so tests can
// drive it in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pushd-fakes", flag.ContinueOnError)
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
		fmt.Fprintf(stderr, "pushd-fakes: %v\n", err)
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
	caFile, err := writeFiles(dir, f)
	if err != nil {
		return err
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

// writeFiles writes the fakes' CA certificate and each fake's credentials
// into dir and returns the certificate's absolute path.
func writeFiles(dir string, f *providertest.Set) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	caFile, err := filepath.Abs(filepath.Join(dir, "ca.pem"))
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(caFile, f.CAPEM(), 0o600); err != nil {
		return "", err
	}
	creds := map[string]any{
		"apns-production": f.APNsProduction.Credentials(),
		"apns-sandbox":    f.APNsSandbox.Credentials(),
		"fcm":             f.FCM.Credentials(),
		"huawei":          f.Huawei.Credentials(),
		"xiaomi":          f.Xiaomi.Credentials(),
		"oppo":            f.OPPO.Credentials(),
		"vivo":            f.Vivo.Credentials(),
		"honor":           f.Honor.Credentials(),
		"harmony":         f.Harmony.Credentials(),
		"meizu":           f.Meizu.Credentials(),
	}
	for name, c := range creds {
		b, err := json.MarshalIndent(c, "", "  ")
		if err != nil {
			return "", fmt.Errorf("%s credentials: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o600); err != nil {
			return "", err
		}
	}
	return caFile, nil
}
