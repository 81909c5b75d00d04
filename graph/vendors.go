package graph

import (
	"context"

	"github.com/pushd/pushd/graph/model"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// channelVendors describes the registry's vendors for the API; anyone
// signed in may read it (it holds no tenant's data).
func (r *Resolver) channelVendors(ctx context.Context) ([]*model.ChannelVendor, error) {
	if _, ok := tenant.FromContext(ctx); !ok {
		return nil, &core.Error{Code: core.CodeUnauthenticated, Message: "sign in first"}
	}
	out := make([]*model.ChannelVendor, 0, len(r.vendors))
	for _, v := range r.vendors {
		d := v.Describe()
		cv := &model.ChannelVendor{
			Channel: v.Channel(), Key: core.ChannelKey(v.Channel()), Name: d.Name,
			Platforms: d.Platforms, Fields: make([]*model.CredentialField, len(d.Fields)),
		}
		if d.Receipts != "" {
			cv.Receipts = &d.Receipts
		}
		for i, f := range d.Fields {
			cv.Fields[i] = credentialField(f)
		}
		out = append(out, cv)
	}
	return out, nil
}

func credentialField(f channel.Field) *model.CredentialField {
	out := &model.CredentialField{
		Name: f.Name, Label: f.Label, Kind: model.CredentialFieldKind(f.Kind),
		Required: f.Required, Choices: append([]string{}, f.Choices...),
	}
	if f.Help != "" {
		out.Help = &f.Help
	}
	return out
}
