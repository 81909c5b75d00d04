package archcheck

import (
	"go/ast"
	"go/token"
	"regexp"
	"strings"
)

// VendorTerms are the push vendors' names, as regular expressions over
// one word (matched case-insensitively, then checked for word boundaries
// by VendorMatcher). "Push Kit" is HarmonyOS's (and Huawei's) vendor;
// "Harmony" alone is not a term, because the HARMONY device platform is
// an operating system like IOS and ANDROID, not a vendor.
func VendorTerms() []string {
	return []string{
		"APNs", "FCM", "Firebase", "Huawei", "HMS", "Xiaomi", "MiPush",
		"OPPO", "HeyTap", "vivo", "Honor", "Meizu", `Push[ _-]?Kit`,
	}
}

// Finding is one place that names a vendor.
type Finding struct {
	Pos  token.Position
	Kind string // "identifier", "string" or "comment"
	Term string // the text that matched
	Text string // the identifier, or the line of the string or comment
}

// VendorMatcher finds vendor names in identifiers and prose.
type VendorMatcher struct {
	terms []*regexp.Regexp
}

// NewVendorMatcher compiles VendorTerms.
func NewVendorMatcher() *VendorMatcher {
	m := &VendorMatcher{}
	for _, t := range VendorTerms() {
		m.terms = append(m.terms, regexp.MustCompile(`(?i)`+t))
	}
	return m
}

// Match returns the vendor names in s that stand as words of their own:
// delimited by a non-alphanumeric byte, a lower-to-upper case change
// (ChannelFCM, APNsSandbox), the end of an acronym before a capitalised
// word (FCMToken), or a letter-digit change (apns2). So "apns_token" and
// "fcm-key" match, "honorable" and "fcmp" do not.
func (m *VendorMatcher) Match(s string) []string {
	var out []string
	for _, re := range m.terms {
		for _, loc := range re.FindAllStringIndex(s, -1) {
			if wordStart(s, loc[0]) && wordEnd(s, loc[1]) {
				out = append(out, s[loc[0]:loc[1]])
			}
		}
	}
	return out
}

func wordStart(s string, i int) bool {
	if i == 0 {
		return true
	}
	prev, cur := s[i-1], s[i]
	switch {
	case !isAlnum(prev), isDigit(prev) != isDigit(cur), isLower(prev) && isUpper(cur):
		return true
	}
	// "HTTPFcm": an acronym ends where a capitalised word begins.
	return isUpper(prev) && isUpper(cur) && i+1 < len(s) && isLower(s[i+1])
}

func wordEnd(s string, j int) bool {
	if j == len(s) {
		return true
	}
	last, next := s[j-1], s[j]
	switch {
	case !isAlnum(next), isDigit(last) != isDigit(next), isLower(last) && isUpper(next):
		return true
	}
	return isUpper(last) && isUpper(next) && j+1 < len(s) && isLower(s[j+1])
}

func isUpper(b byte) bool { return 'A' <= b && b <= 'Z' }
func isLower(b byte) bool { return 'a' <= b && b <= 'z' }
func isDigit(b byte) bool { return '0' <= b && b <= '9' }
func isAlnum(b byte) bool { return isUpper(b) || isLower(b) || isDigit(b) }

// VendorNames lists every identifier, string literal and comment of the
// file that names a vendor, one finding per term occurrence.
func (m *VendorMatcher) VendorNames(fset *token.FileSet, f *File) []Finding {
	var out []Finding
	add := func(pos token.Pos, kind, text string) {
		for _, term := range m.Match(text) {
			out = append(out, Finding{Pos: fset.Position(pos), Kind: kind, Term: term, Text: firstLine(text)})
		}
	}
	ast.Inspect(f.AST, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Ident:
			add(x.Pos(), "identifier", x.Name)
		case *ast.BasicLit:
			if x.Kind == token.STRING {
				add(x.Pos(), "string", x.Value)
			}
		}
		return true
	})
	// The file's comment list holds every comment, attached to a
	// declaration or not, so comments are read from it and not in Inspect.
	for _, cg := range f.AST.Comments {
		for _, c := range cg.List {
			for i, line := range strings.Split(c.Text, "\n") {
				pos := fset.Position(c.Pos())
				for _, term := range m.Match(line) {
					p := pos
					p.Line += i
					out = append(out, Finding{Pos: p, Kind: "comment", Term: term, Text: strings.TrimSpace(line)})
				}
			}
		}
	}
	return out
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
