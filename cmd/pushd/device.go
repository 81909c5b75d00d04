package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pushd/pushd/deviceclient"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/gateway"
)

// deviceCommand is a simulated device for demos and browser tests: it
// registers with an app key, keeps the WebSocket channel open (resuming
// after a drop), acknowledges every push, optionally reports it opened,
// and prints one JSON line per event on stdout.
func deviceCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pushd device", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "pushd base URL")
	appKey := fs.String("app-key", "", "the app's key (required)")
	install := fs.String("installation", "", "installation ID (default: a new one)")
	platform := fs.String("platform", "ANDROID", "ANDROID, IOS, HARMONY or WEB")
	version := fs.String("app-version", "1.0.0", "app version the device reports")
	tokens := gateway.Tokens{}
	fs.Func("token", "a vendor token to register, as key=token (the vendor's key, as the device API names it); repeatable", func(v string) error {
		key, tok, ok := strings.Cut(v, "=")
		if !ok || key == "" || tok == "" {
			return errors.New("want key=token")
		}
		tokens[key] = &tok
		return nil
	})
	open := fs.Bool("open", false, "report every push as opened after acknowledging it")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *appKey == "" {
		fmt.Fprintln(stderr, "pushd device: -app-key is required")
		return 2
	}
	if *install == "" {
		*install = fmt.Sprintf("sim-%d", time.Now().UnixNano())
	}
	req := gateway.RegisterRequest{AppKey: *appKey, InstallationID: *install, Platform: enum.Platform(*platform), AppVersion: *version, Model: "pushd device"}
	if len(tokens) > 0 {
		req.Tokens = tokens
	}
	sim := &simulatedDevice{client: deviceclient.New(*base, nil), out: json.NewEncoder(stdout), open: *open}
	if err := sim.run(ctx, req); err != nil && ctx.Err() == nil {
		fmt.Fprintf(stderr, "pushd device: %v\n", err)
		return 1
	}
	return 0
}

type simulatedDevice struct {
	client *deviceclient.Client
	out    *json.Encoder
	open   bool
}

func (d *simulatedDevice) emit(v map[string]any) { _ = d.out.Encode(v) }

func (d *simulatedDevice) run(ctx context.Context, req gateway.RegisterRequest) error {
	reg, err := d.client.Register(ctx, req)
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	d.emit(map[string]any{"event": "registered", "deviceID": reg.DeviceID, "installationID": req.InstallationID})
	var after int64
	for backoff := time.Second; ctx.Err() == nil; {
		conn, err := d.client.Connect(ctx, reg.DeviceToken, after)
		if err != nil {
			d.emit(map[string]any{"event": "disconnected", "error": err.Error()})
		} else {
			backoff = time.Second
			d.emit(map[string]any{"event": "connected"})
			err = d.receive(ctx, conn)
			after = conn.LastSeq
			_ = conn.CloseNow()
			if ctx.Err() == nil {
				d.emit(map[string]any{"event": "disconnected", "error": err.Error()})
			}
		}
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
			backoff = min(2*backoff, 30*time.Second)
		}
	}
	return nil
}

func (d *simulatedDevice) receive(ctx context.Context, conn *deviceclient.Conn) error {
	for {
		f, err := conn.Next(ctx)
		if err != nil {
			return err
		}
		switch {
		case f.Push != nil:
			d.emit(map[string]any{"event": "push", "messageID": f.Push.MessageID, "title": f.Push.Title, "body": f.Push.Body, "payload": f.Push.Payload})
			if err := conn.Ack(ctx, f.Push.MessageID); err != nil {
				return err
			}
			if d.open {
				if err := conn.Event(ctx, f.Push.MessageID, "opened"); err != nil {
					return err
				}
			}
		case f.Revoke != nil:
			d.emit(map[string]any{"event": "revoke", "messageID": f.Revoke.MessageID})
		case f.Error != nil:
			d.emit(map[string]any{"event": "error", "code": f.Error.Code, "message": f.Error.Message})
		}
	}
}
