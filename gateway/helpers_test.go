package gateway_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/pushd/pushd/deviceclient"
)

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

func jsonDecode(resp *http.Response, v any) error {
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}

func asAPI(err error, target **deviceclient.APIError) bool { return errors.As(err, target) }
