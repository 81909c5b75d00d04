package provider

import (
	"github.com/pushd/pushd/provider/apns"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/provider/fcm"
	"github.com/pushd/pushd/provider/harmony"
	"github.com/pushd/pushd/provider/honor"
	"github.com/pushd/pushd/provider/huawei"
	"github.com/pushd/pushd/provider/meizu"
	"github.com/pushd/pushd/provider/oppo"
	"github.com/pushd/pushd/provider/vivo"
	"github.com/pushd/pushd/provider/xiaomi"
)

// Vendors are the vendor channels pushd has, the most preferred first: a
// device with tokens of several is reached through the first it has. The
// platform's own service leads (APNs on iOS); a phone maker's service
// comes before FCM, because its token on a phone means the phone is of
// that maker, where its service is what reaches a background app; FCM is
// last. HarmonyOS Push Kit is the platform's own service on HarmonyOS 5,
// whose devices no other vendor reaches. Honor comes before Huawei: an Honor phone may also carry Huawei's
// HMS Core (older models were Huawei's), but Honor's service is its own. Adding a vendor is one package implementing channel.Vendor, its
// fake in providertest, and one line here.
func Vendors() []channel.Vendor {
	return []channel.Vendor{
		apns.Vendor{},
		harmony.Vendor{},
		honor.Vendor{},
		huawei.Vendor{},
		xiaomi.Vendor{},
		oppo.Vendor{},
		vivo.Vendor{},
		meizu.Vendor{},
		fcm.Vendor{},
	}
}
