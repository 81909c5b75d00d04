// Package provider wires the vendor adapters behind push.Channels.
package provider

// Temporary: pins the vendor SDKs in go.mod while the adapters are written.
import (
	_ "firebase.google.com/go/v4/messaging"
	_ "github.com/sideshow/apns2"
	_ "golang.org/x/oauth2/google"
	_ "google.golang.org/api/option"
)
