// Package egress is how pushd reaches out on a tenant's behalf: vendor
// APIs, their OAuth token endpoints and apps' webhooks. Every connection
// is checked at dial time, after DNS, against the IANA special-purpose
// address registries, so neither a name that resolves inside the network
// nor a later change of its DNS answer (rebinding) gets through. The
// clients never use a proxy from the environment, never follow
// redirects and read at most a bounded answer (docs/security.md).
package egress

import (
	"net/netip"
	"strings"
)

// Range is one refused block of addresses and what it is for.
type Range struct {
	Prefix netip.Prefix
	Name   string
}

// specialPurpose is the IANA IPv4 and IPv6 special-purpose address
// registries, every block that is not globally reachable or is reserved,
// plus multicast. IPv4-mapped IPv6 addresses are checked as the IPv4
// address they carry. Immutable.
var specialPurpose = parseRanges([][2]string{
	{"0.0.0.0/8", "this network"},
	{"10.0.0.0/8", "private use"},
	{"100.64.0.0/10", "shared address space (carrier-grade NAT)"},
	{"127.0.0.0/8", "loopback"},
	{"169.254.0.0/16", "link local"},
	{"172.16.0.0/12", "private use"},
	{"192.0.0.0/24", "IETF protocol assignments"},
	{"192.0.2.0/24", "documentation (TEST-NET-1)"},
	{"192.31.196.0/24", "AS112-v4"},
	{"192.52.193.0/24", "AMT"},
	{"192.88.99.0/24", "6to4 relay anycast"},
	{"192.168.0.0/16", "private use"},
	{"192.175.48.0/24", "direct delegation AS112 service"},
	{"198.18.0.0/15", "benchmarking"},
	{"198.51.100.0/24", "documentation (TEST-NET-2)"},
	{"203.0.113.0/24", "documentation (TEST-NET-3)"},
	{"224.0.0.0/4", "multicast"},
	{"240.0.0.0/4", "reserved (and limited broadcast)"},
	{"::/128", "unspecified"},
	{"::1/128", "loopback"},
	{"::/96", "IPv4-compatible (deprecated)"},
	{"64:ff9b::/96", "IPv4/IPv6 translation (NAT64)"},
	{"64:ff9b:1::/48", "local-use IPv4/IPv6 translation"},
	{"100::/64", "discard-only"},
	{"2001::/23", "IETF protocol assignments (Teredo, benchmarking, ORCHID)"},
	{"2001:db8::/32", "documentation"},
	{"2002::/16", "6to4"},
	{"3fff::/20", "documentation"},
	{"5f00::/16", "segment routing (SRv6) SIDs"},
	{"fc00::/7", "unique local"},
	{"fe80::/10", "link local"},
	{"fec0::/10", "site local (deprecated)"},
	{"ff00::/8", "multicast"},
})

func parseRanges(rows [][2]string) []Range {
	out := make([]Range, len(rows))
	for i, r := range rows {
		out[i] = Range{Prefix: netip.MustParsePrefix(r[0]), Name: r[1]}
	}
	return out
}

// SpecialPurpose reports the refused block a holds, if any.
func SpecialPurpose(a netip.Addr) (Range, bool) {
	a = a.Unmap()
	for _, r := range specialPurpose {
		if r.Prefix.Contains(a) {
			return r, true
		}
	}
	return Range{}, false
}

// NumericHost reports whether host is an IPv4 address in a spelling other
// than four decimal parts (2130706433, 127.1, 0x7f000001, 0177.0.0.1).
// Resolvers read these as addresses, so a check that treats them as
// names would be bypassed: URLs with such a host are refused outright.
// As in the URL standard, a host whose last label is a number is one.
func NumericHost(host string) bool {
	if _, err := netip.ParseAddr(host); err == nil {
		return false
	}
	host = strings.TrimSuffix(host, ".")
	if host == "" {
		return false
	}
	last := host[strings.LastIndexByte(host, '.')+1:]
	if l := strings.ToLower(last); strings.HasPrefix(l, "0x") {
		return strings.Trim(l[2:], "0123456789abcdef") == ""
	}
	return strings.Trim(last, "0123456789") == ""
}
