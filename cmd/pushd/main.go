// Command pushd is the push notification service: one binary whose
// subcommands run all roles (serve) or one (api, worker, gateway), migrate
// the database, or print the version. It is the only place that reads the
// environment, builds the logger, wires the parts and may exit.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/pushd/pushd/config"
	"github.com/pushd/pushd/graph"
	"github.com/pushd/pushd/provider"
	"github.com/pushd/pushd/server"
)

// version is set at link time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `pushd — a GraphQL-first push notification service

Usage:
  pushd [command] [flags]

Commands:
  serve     run every role in one process (default)
  api       run the GraphQL API only
  worker    run the queue worker only
  gateway   run the device gateway only
  migrate   bring the database schema up to date and exit
  sign      sign a request with an API key (print the headers, or -send it)
  device    run a simulated device: register, stay connected, acknowledge pushes
  schema    print the GraphQL schema (SDL), as clients see it
  version   print the version
  help      show this help

Every flag has a PUSHD_* environment variable; see 'pushd serve -h'.

Local fakes of the vendors' services (demos, load runs) are a
command of their own, pushd-fakes, kept out of this binary.
`

// run is main without the process: it returns the exit code, so tests can
// drive it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		cmd = "help"
	} else if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var roles server.Roles
	switch cmd {
	case "serve":
		roles = server.Roles{API: true, Worker: true, Gateway: true}
	case "api":
		roles = server.Roles{API: true}
	case "worker":
		roles = server.Roles{Worker: true}
	case "gateway":
		roles = server.Roles{Gateway: true}
	case "migrate":
	case "sign":
		return signCommand(ctx, args, getenv, stdout, stderr)
	case "device":
		return deviceCommand(ctx, args, stdout, stderr)
	case "schema":
		fmt.Fprint(stdout, graph.SDL())
		return 0
	case "version":
		fmt.Fprintln(stdout, "pushd", version)
		return 0
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "pushd: unknown command %q\n\n%s", cmd, usage)
		return 2
	}

	cfg, err := config.Load("pushd "+cmd, args, getenv, provider.EndpointVars(provider.Vendors())...)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, config.Usage("pushd "+cmd, provider.EndpointVars(provider.Vendors())...))
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "pushd: configuration: %v\n", err)
		return 2
	}
	log := cfg.NewLogger(stderr)
	if cmd == "migrate" {
		err = migrate(ctx, cfg, log)
	} else {
		err = serve(ctx, cfg, roles, log)
	}
	if err != nil {
		log.Error("pushd stopped with an error", "err", err)
		return 1
	}
	return 0
}
