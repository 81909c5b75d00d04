package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestFakesWriteWhatPushdNeeds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, w := io.Pipe()
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"-dir", dir, "-latency", "5ms"}, w, io.Discard) }()

	// The last line says the fakes run: read up to it.
	printed := make(chan string, 1)
	go func() {
		var b strings.Builder
		for sc := bufio.NewScanner(out); sc.Scan(); {
			b.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "Ctrl-C") {
				break
			}
		}
		printed <- b.String()
	}()
	var text string
	select {
	case text = <-printed:
	case code := <-done:
		t.Fatalf("pushd-fakes exited with %d before it ran", code)
	case <-time.After(20 * time.Second):
		t.Fatal("pushd-fakes did not start")
	}
	require.Contains(t, text, "answer latency 5ms")
	for _, name := range []string{"ca.pem", "apns-production.json", "apns-sandbox.json", "fcm.json", "huawei.json", "xiaomi.json"} {
		require.FileExists(t, filepath.Join(dir, name))
	}
	ca, err := filepath.Abs(filepath.Join(dir, "ca.pem"))
	require.NoError(t, err)
	require.Contains(t, text, "export PUSHD_PROVIDER_CA_FILE="+ca+"\n")
	require.Contains(t, text, "export PUSHD_APNS_SANDBOX_URL=https://")
	b, err := os.ReadFile(filepath.Join(dir, "fcm.json"))
	require.NoError(t, err)
	var fcm map[string]any
	require.NoError(t, json.Unmarshal(b, &fcm))
	require.NotEmpty(t, fcm["serviceAccountJSON"])

	cancel()
	select {
	case code := <-done:
		require.Equal(t, 0, code)
	case <-time.After(20 * time.Second):
		t.Fatal("pushd-fakes did not stop")
	}
}

func TestFakesFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"help lists the flags", []string{"-h"}, 0, "-latency"},
		{"bad latency", []string{"-latency", "soon"}, 2, "-latency"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stderr bytes.Buffer
			code := run(context.Background(), tc.args, io.Discard, &stderr)
			require.Equal(t, tc.code, code, "stderr: %s", stderr.String())
			require.Contains(t, stderr.String(), tc.stderr)
		})
	}
}
