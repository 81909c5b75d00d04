package fcm

import (
	"context"

	firebase "firebase.google.com/go/v4"
	"firebase.google.com/go/v4/messaging"
	"google.golang.org/api/option"
)

// newMessagingClient builds the Admin SDK's messaging client for one
// project, with the given transport options.
func newMessagingClient(ctx context.Context, projectID string, opts ...option.ClientOption) (*messaging.Client, error) {
	app, err := firebase.NewApp(ctx, &firebase.Config{ProjectID: projectID}, opts...)
	if err != nil {
		return nil, err
	}
	return app.Messaging(ctx)
}
