package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/pushd/pushd/auth/signature"
)

const signUsage = `Usage: pushd sign [flags] URL [flags]

Signs a request to pushd with pushd-sig-v1 and prints the four headers, or
sends it with -send and prints the response.

  pushd sign -key kid_… -secret sk_… -data '{"query":"{ viewer { app { id } } }"}' -send http://localhost:8080/graphql
  pushd sign -key kid_… -send http://localhost:8080/graphql \
    -query 'query($id: ID!) { node(id: $id) { id } }' -var id=job_…

Flags:
  -key ID           the API key's keyID (X-Pushd-Key)
  -secret S         HMAC_SHA256 secret (or env PUSHD_SIGN_SECRET, which keeps it out of shell history)
  -private-key F    PEM private key file (PKCS#8) for ED25519 or RSA_SHA256 keys
  -method M         HTTP method (default POST with -data, else GET)
  -data D           request body; @file reads it from a file
  -query Q          a GraphQL operation: the body is {"query": Q, "variables": …} (instead of -data)
  -var NAME=VALUE   a string variable of -query (repeatable); NAME:=JSON for any other value
  -send             send the request and print the response body
`

// maxAnswer bounds the answer -send prints (pushd's largest is far below).
const maxAnswer = 64 << 20

// signCommand is `pushd sign`. It exits 1 when a sent request fails
// (HTTP status 400 or more), 2 on bad usage.
func signCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	opts, err := parseSignArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, signUsage)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "pushd sign: %v\n\n%s", err, signUsage)
		return 2
	}
	if opts.secret == "" {
		opts.secret = getenv("PUSHD_SIGN_SECRET")
	}
	req, err := opts.signedRequest(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "pushd sign: %v\n", err)
		return 2
	}
	if !opts.send {
		for _, h := range []string{signature.HeaderKey, signature.HeaderTimestamp, signature.HeaderNonce, signature.HeaderSignature} {
			fmt.Fprintf(stdout, "%s: %s\n", h, req.Header.Get(h))
		}
		return 0
	}
	return sendSigned(req, stdout, stderr)
}

// signOptions are the flags and the URL of `pushd sign`.
type signOptions struct {
	keyID, secret, keyFile string
	method, data, query    string
	vars                   map[string]json.RawMessage
	send                   bool
	url                    string
}

// parseSignArgs reads the flags and the one URL. Its errors are bad usage,
// or flag.ErrHelp for -h.
func parseSignArgs(args []string) (signOptions, error) {
	o := signOptions{vars: map[string]json.RawMessage{}}
	fs := flag.NewFlagSet("pushd sign", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.keyID, "key", "", "")
	fs.StringVar(&o.secret, "secret", "", "")
	fs.StringVar(&o.keyFile, "private-key", "", "")
	fs.StringVar(&o.method, "method", "", "")
	fs.StringVar(&o.data, "data", "", "")
	fs.StringVar(&o.query, "query", "", "")
	fs.Func("var", "", func(v string) error { return addVar(o.vars, v) })
	fs.BoolVar(&o.send, "send", false, "")
	urls, err := parseInterspersed(fs, args)
	switch {
	case err != nil:
		return o, err
	case o.keyID == "":
		return o, errors.New("-key is required")
	case len(urls) != 1:
		return o, fmt.Errorf("need exactly one URL, got %d %q", len(urls), urls)
	}
	o.url = urls[0]
	return o, nil
}

// signedRequest builds the request the options describe and signs it.
func (o signOptions) signedRequest(ctx context.Context) (*http.Request, error) {
	signer, err := newSigner(o.keyID, o.secret, o.keyFile)
	if err != nil {
		return nil, err
	}
	body, err := requestBody(o.data, o.query, o.vars)
	if err != nil {
		return nil, err
	}
	method := o.method
	if method == "" {
		method = http.MethodGet
		if len(body) > 0 {
			method = http.MethodPost
		}
	}
	target, err := url.Parse(o.url)
	if err != nil || target.Host == "" {
		return nil, fmt.Errorf("%q is not an absolute URL", o.url)
	}
	req, err := http.NewRequestWithContext(ctx, strings.ToUpper(method), target.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if len(body) > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	if err := signer.Sign(req, body); err != nil {
		return nil, err
	}
	return req, nil
}

// sendSigned sends req and prints the answer; it returns 1 when the
// request fails or its status is 400 or more.
func sendSigned(req *http.Request, stdout, stderr io.Writer) int {
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "pushd sign: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		fmt.Fprintf(stderr, "pushd sign: reading the answer: %v\n", err)
		return 1
	}
	// One answer a line, so answers printed one after another stay apart.
	if len(answer) > 0 && !bytes.HasSuffix(answer, []byte("\n")) {
		answer = append(answer, '\n')
	}
	_, _ = stdout.Write(answer)
	if resp.StatusCode >= 400 {
		fmt.Fprintf(stderr, "pushd sign: %s\n", resp.Status)
		return 1
	}
	return 0
}

func newSigner(keyID, secret, keyFile string) (signature.Signer, error) {
	switch {
	case secret != "" && keyFile != "":
		return signature.Signer{}, errors.New("give -secret or -private-key, not both")
	case secret != "":
		return signature.Signer{KeyID: keyID, Algorithm: signature.HMACSHA256, Secret: secret}, nil
	case keyFile == "":
		return signature.Signer{}, errors.New("need -secret (or PUSHD_SIGN_SECRET) or -private-key")
	}
	raw, err := os.ReadFile(keyFile)
	if err != nil {
		return signature.Signer{}, err
	}
	block, _ := pem.Decode(raw)
	if block == nil {
		return signature.Signer{}, fmt.Errorf("%s: no PEM block", keyFile)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return signature.Signer{}, fmt.Errorf("%s: want a PKCS#8 private key: %w", keyFile, err)
	}
	switch k := key.(type) {
	case ed25519.PrivateKey:
		return signature.Signer{KeyID: keyID, Algorithm: signature.Ed25519, PrivateKey: k}, nil
	case *rsa.PrivateKey:
		return signature.Signer{KeyID: keyID, Algorithm: signature.RSASHA256, PrivateKey: k}, nil
	}
	return signature.Signer{}, fmt.Errorf("%s: want an Ed25519 or RSA private key, got %T", keyFile, key)
}

// parseInterspersed parses flags before and after the positional
// arguments, as people write them (`-send URL -data …`), which the flag
// package alone stops at the first positional. "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(positional, rest...), nil
		}
		positional, args = append(positional, rest[0]), rest[1:]
	}
}

// addVar records one -var: NAME=VALUE is a string, NAME:=JSON any value.
func addVar(vars map[string]json.RawMessage, v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok || name == "" || name == ":" {
		return fmt.Errorf("-var %q: want NAME=VALUE or NAME:=JSON", v)
	}
	if raw, isJSON := strings.CutSuffix(name, ":"); isJSON {
		if !json.Valid([]byte(value)) {
			return fmt.Errorf("-var %s: %q is not JSON", raw, value)
		}
		vars[raw] = json.RawMessage(value)
		return nil
	}
	quoted, _ := json.Marshal(value)
	vars[name] = quoted
	return nil
}

// requestBody is -data as given (or read from @file), or the GraphQL
// request -query and -var make.
func requestBody(data, query string, vars map[string]json.RawMessage) ([]byte, error) {
	switch {
	case data != "" && query != "":
		return nil, errors.New("give -data or -query, not both")
	case query != "":
		return json.Marshal(map[string]any{"query": query, "variables": vars})
	case len(vars) > 0:
		return nil, errors.New("-var needs -query")
	case strings.HasPrefix(data, "@"):
		return os.ReadFile(data[1:])
	}
	return []byte(data), nil
}
