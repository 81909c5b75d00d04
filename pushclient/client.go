// Package pushclient is a small Go client for pushd's GraphQL API that
// signs every request with pushd-sig-v1. Backends, the load tool and the
// tests use it.
package pushclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/pushd/pushd/auth/signature"
)

// Client sends signed GraphQL requests to one pushd.
type Client struct {
	endpoint string
	signer   signature.Signer
	http     *http.Client
}

// New returns a client for the pushd at baseURL (e.g. "https://push.example.com").
// A nil httpClient means http.DefaultClient.
func New(baseURL string, signer signature.Signer, httpClient *http.Client) *Client {
	if httpClient == nil {
		httpClient = http.DefaultClient
	}
	return &Client{endpoint: strings.TrimRight(baseURL, "/") + "/graphql", signer: signer, http: httpClient}
}

// Error is one GraphQL error.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Code is the error's extensions.code.
func (e Error) Code() string {
	c, _ := e.Extensions["code"].(string)
	return c
}

func (e Error) Error() string { return e.Code() + ": " + e.Message }

// Response is a raw GraphQL response with its HTTP status.
type Response struct {
	Status int             `json:"-"`
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
}

// Raw sends one operation and returns the response as it came, errors
// included; err is only for transport failures.
func (c *Client) Raw(ctx context.Context, query string, vars map[string]any) (*Response, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if err := c.signer.Sign(req, body); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	out := &Response{Status: resp.StatusCode}
	if err := json.Unmarshal(raw, out); err != nil {
		return nil, fmt.Errorf("pushd answered %d with non-JSON: %.200s", resp.StatusCode, raw)
	}
	return out, nil
}

// Do sends one operation and decodes its data into out (may be nil). Any
// GraphQL error is returned, joined.
func (c *Client) Do(ctx context.Context, query string, vars map[string]any, out any) error {
	resp, err := c.Raw(ctx, query, vars)
	if err != nil {
		return err
	}
	if len(resp.Errors) > 0 {
		errs := make([]error, len(resp.Errors))
		for i, e := range resp.Errors {
			errs[i] = e
		}
		return errors.Join(errs...)
	}
	if out != nil && len(resp.Data) > 0 {
		return json.Unmarshal(resp.Data, out)
	}
	return nil
}
