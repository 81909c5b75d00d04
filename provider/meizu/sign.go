package meizu

import (
	"crypto/md5" // Meizu's request signature is MD5 by its protocol
	"encoding/hex"
	"maps"
	"net/url"
	"slices"
	"strings"
)

// Sign is Meizu's request signature: the parameters other than sign,
// sorted by name, as name=value with the raw values and nothing between
// the pairs, then the app secret; lower-case hex MD5 of that.
func Sign(params url.Values, appSecret string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(params)) {
		if k == "sign" {
			continue
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(params.Get(k))
	}
	b.WriteString(appSecret)
	sum := md5.Sum([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}
