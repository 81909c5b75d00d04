// Package enum holds the enumerations that several entities and the
// GraphQL API share. Each type lists its values for ent (Values) and
// marshals itself for gqlgen, so one Go type serves storage and API.
package enum

import (
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

// Platform is the operating system family of a device.
type Platform string

// Platforms.
const (
	PlatformAndroid Platform = "ANDROID"
	PlatformIOS     Platform = "IOS"
	PlatformHarmony Platform = "HARMONY"
	PlatformWeb     Platform = "WEB"
)

// Values implements ent's EnumValues.
func (Platform) Values() []string { return []string{"ANDROID", "IOS", "HARMONY", "WEB"} }

// Valid reports whether p is one of the declared values.
func (p Platform) Valid() bool { return slices.Contains(p.Values(), string(p)) }

// MarshalGQL implements graphql.Marshaler.
func (p Platform) MarshalGQL(w io.Writer) { writeQuoted(w, string(p)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (p *Platform) UnmarshalGQL(v any) error { return unmarshal(v, p, "Platform") }

// Channel is a delivery channel: the self-built WebSocket channel or a vendor.
type Channel string

// Channels.
const (
	ChannelSelf   Channel = "SELF"
	ChannelAPNs   Channel = "APNS"
	ChannelFCM    Channel = "FCM"
	ChannelHuawei Channel = "HUAWEI"
	ChannelXiaomi Channel = "XIAOMI"
	ChannelOPPO   Channel = "OPPO"
	ChannelVIVO   Channel = "VIVO"
	ChannelHonor  Channel = "HONOR"
	ChannelMeizu  Channel = "MEIZU"
	// ChannelHarmony is HarmonyOS Push Kit v3 (HarmonyOS 5 and later).
	ChannelHarmony Channel = "HARMONY"
)

// Values implements ent's EnumValues.
func (Channel) Values() []string {
	return []string{"SELF", "APNS", "FCM", "HUAWEI", "XIAOMI", "OPPO", "VIVO", "HONOR", "HARMONY", "MEIZU"}
}

// Vendor reports whether c is a vendor channel (one that needs credentials).
func (c Channel) Vendor() bool { return c != ChannelSelf && c.Valid() }

// Valid reports whether c is one of the declared values.
func (c Channel) Valid() bool { return slices.Contains(c.Values(), string(c)) }

// MarshalGQL implements graphql.Marshaler.
func (c Channel) MarshalGQL(w io.Writer) { writeQuoted(w, string(c)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (c *Channel) UnmarshalGQL(v any) error { return unmarshal(v, c, "Channel") }

// PushKind is how a push was requested.
type PushKind string

// Push kinds.
const (
	PushKindSimple    PushKind = "SIMPLE"
	PushKindTemplate  PushKind = "TEMPLATE"
	PushKindMultiple  PushKind = "MULTIPLE"
	PushKindBroadcast PushKind = "BROADCAST"
)

// Values implements ent's EnumValues.
func (PushKind) Values() []string { return []string{"SIMPLE", "TEMPLATE", "MULTIPLE", "BROADCAST"} }

// MarshalGQL implements graphql.Marshaler.
func (k PushKind) MarshalGQL(w io.Writer) { writeQuoted(w, string(k)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *PushKind) UnmarshalGQL(v any) error { return unmarshal(v, k, "PushKind") }

// Role is what a console account may do in one app.
type Role string

// Roles, from most to least privileged.
const (
	RoleOwner     Role = "OWNER"
	RoleDeveloper Role = "DEVELOPER"
	RoleViewer    Role = "VIEWER"
)

// Values implements ent's EnumValues.
func (Role) Values() []string { return []string{"OWNER", "DEVELOPER", "VIEWER"} }

// MarshalGQL implements graphql.Marshaler.
func (r Role) MarshalGQL(w io.Writer) { writeQuoted(w, string(r)) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (r *Role) UnmarshalGQL(v any) error { return unmarshal(v, r, "Role") }

type valuer interface{ Values() []string }

func unmarshal[T ~string](v any, dst *T, name string) error {
	s, ok := v.(string)
	if !ok {
		return nodeid.InputError(fmt.Sprintf("%s must be a string, got %T", name, v))
	}
	if !slices.Contains(any(*dst).(valuer).Values(), s) {
		return nodeid.InputError(fmt.Sprintf("%q is not a valid %s", s, name))
	}
	*dst = T(s)
	return nil
}

func writeQuoted(w io.Writer, s string) { _, _ = io.WriteString(w, strconv.Quote(s)) }
