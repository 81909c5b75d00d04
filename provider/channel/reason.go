package channel

import "regexp"

// vendorCode is what an error code from a vendor looks like: APNs'
// "BadDeviceToken", FCM's "UNREGISTERED", OAuth's "invalid_grant",
// Huawei's "80300007", Xiaomi's "20301".
var vendorCode = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$`)

// Code returns s when it reads as a vendor's error code and "" otherwise.
// A delivery's reason quotes a vendor's code but never its free text: the
// code is what the vendor documents and what a user searches for, while
// free text is whatever the far end chose to write, and tenants read
// reasons.
func Code(s string) string {
	if vendorCode.MatchString(s) {
		return s
	}
	return ""
}
