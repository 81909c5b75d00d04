package graph_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/pushd/pushd/graph"
	"github.com/pushd/pushd/push"
)

// TestNoFieldReturnsSecrets walks every output field of the schema and
// fails on any whose name says it could carry a secret: credentials and
// secrets are stored sealed and never returned (secrets that are shown
// once at creation must be added to allowed with their reason).
func TestNoFieldReturnsSecrets(t *testing.T) {
	t.Parallel()
	// Output fields whose names look secret but are meant to be read.
	allowed := map[string]string{
		// A vendor push token addresses a device; it is useless without the
		// app's vendor credentials, and the console shows it for debugging.
		"DeviceToken.token": "vendor device address, not a credential",
		"Device.tokens":     "the device's vendor tokens, as above",
		// Shown once, at creation; only its sealed form is stored.
		"CreateAPIKeyPayload.secret":  "HMAC secret returned once by createAPIKey",
		"CreateWebhookPayload.secret": "webhook signing secret returned once by createWebhook",
		// Short-lived, single-device, single-user: the backend hands it on.
		"BindTokenPayload.bindToken": "bind token minted for one device and user",
		"Mutation.mintBindToken":     "returns BindTokenPayload, as above",
		// Shown once, to the admin who issued it; only its SHA-256 is stored.
		"PasswordReset.token":            "one-time reset token returned once by createPasswordReset",
		"Mutation.createPasswordReset":   "returns PasswordReset, as above",
		"Account.passwordResetExpiresAt": "when a pending reset token expires: a time, not the token",
		"Mutation.changePassword":        "takes passwords, returns a count of ended sessions",
		"Mutation.resetPassword":         "takes a token and a password, returns a Boolean",
	}
	secretish := regexp.MustCompile(`(?i)secret|passw|hash|sealed|credential|private|token|signingkey`)
	schema := graph.NewSchema(push.NewService(push.Config{}), nil, nil).Schema()
	var checked int
	for name, def := range schema.Types {
		if def.BuiltIn || (def.Kind != ast.Object && def.Kind != ast.Interface) {
			continue
		}
		for _, f := range def.Fields {
			checked++
			key := name + "." + f.Name
			if _, ok := allowed[key]; ok {
				continue
			}
			require.False(t, secretish.MatchString(f.Name), "output field %s looks like it returns a secret", key)
		}
	}
	require.Greater(t, checked, 200, "the walk saw the whole schema")

	// The sealed columns exist in storage and must stay out of the API.
	for _, hidden := range []string{"secretSealed", "credentialsSealed", "passwordHash", "tokenHash", "passwordResetHash"} {
		for name, def := range schema.Types {
			require.Nil(t, def.Fields.ForName(hidden), "%s.%s is exposed", name, hidden)
		}
	}
	require.True(t, slices.ContainsFunc(schema.Types["APIKey"].Fields, func(f *ast.FieldDefinition) bool { return f.Name == "keyID" }))
}
