// Command archstat prints the architecture measurements of a Go module
// in Markdown (see package archcheck for what is measured):
//
//	go run ./internal/archcheck/cmd/archstat [-tests] [dir]
//
// dir is any directory inside the module, the current one by default.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/pushd/pushd/internal/archcheck"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "archstat:", err)
		os.Exit(1)
	}
}

func run() error {
	tests := flag.Bool("tests", false, "include _test.go files")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: archstat [-tests] [dir]")
		flag.PrintDefaults()
	}
	flag.Parse()
	dir := "."
	switch flag.NArg() {
	case 0:
	case 1:
		dir = flag.Arg(0)
	default:
		flag.Usage()
		return fmt.Errorf("at most one directory, got %d", flag.NArg())
	}
	root, err := archcheck.FindRoot(dir)
	if err != nil {
		return err
	}
	opts := archcheck.Options{Tests: *tests}
	m, err := archcheck.Load(root, opts)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(os.Stdout)
	if err := archcheck.WriteReport(w, m, opts); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
