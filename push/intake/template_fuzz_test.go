package intake

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pushd/pushd/push/core"

	"github.com/stretchr/testify/require"
)

// placeholderRef is the placeholder syntax as the docs state it, written
// as a regular expression: {{name}}, spaces (unicode.IsSpace) allowed
// inside the braces, a name of at most 64 characters.
var placeholderRef = regexp.MustCompile(`\{\{[\pZ\t\n\v\f\r\x{85}]*([A-Za-z_][A-Za-z0-9_.\-]{0,63})[\pZ\t\n\v\f\r\x{85}]*\}\}`)

func placeholdersRef(s string) []string {
	var names []string
	for _, m := range placeholderRef.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(names, m[1]) {
			names = append(names, m[1])
		}
	}
	return names
}

// FuzzCheckTemplate fuzzes the template parser (placeholders) against the
// regular expression above and the validator (CheckTemplate) against its
// rules restated: a title or a body, valid variable names, every
// placeholder declared, defaults only for declared variables. What it
// accepts renders with no variable missing.
func FuzzCheckTemplate(f *testing.F) {
	f.Add("Hi {{name}}", "Your order {{ order.id }} shipped", "", "")
	f.Add("Hi {{name}}", "", "name,city", "city")
	f.Add("{{a}}", "{{b}}", "a", "")
	f.Add("", " ", "", "")
	f.Add("{{1}} {{ }} {{a b}}", "{{{{x}}}}", "", "x")
	f.Add("{{\u00a0a\u3000}}", "{{a}", "a,,b", "")
	f.Add("{{"+strings.Repeat("a", 65)+"}}", "{{"+strings.Repeat("b", 64)+"}}", "", "")
	f.Fuzz(func(t *testing.T, title, body, variables, def string) {
		for _, s := range []string{title, body} {
			require.Equal(t, placeholdersRef(s), placeholders(s), "placeholders of %q", s)
		}
		spec := TemplateSpec{Title: title, Body: body}
		if variables != "" {
			spec.Variables = strings.Split(variables, ",")
		}
		if def != "" {
			spec.Defaults = map[string]any{def: "d"}
		}
		used := placeholdersRef(title)
		for _, n := range placeholdersRef(body) {
			if !slices.Contains(used, n) {
				used = append(used, n)
			}
		}
		declared := spec.Variables
		if len(declared) == 0 {
			declared = used
		}
		ok := strings.TrimSpace(title) != "" || strings.TrimSpace(body) != ""
		for _, v := range declared {
			ok = ok && placeholderRef.MatchString("{{"+v+"}}") && placeholderRef.FindStringSubmatch("{{" + v + "}}")[1] == v
		}
		for _, n := range used {
			ok = ok && slices.Contains(declared, n)
		}
		if def != "" {
			ok = ok && slices.Contains(declared, def)
		}

		vars, err := CheckTemplate(spec)
		require.Equal(t, ok, err == nil, "CheckTemplate(%+v): %v", spec, err)
		if err != nil {
			e, isErr := core.AsError(err)
			require.True(t, isErr)
			require.Equal(t, core.CodeInvalidArgument, e.Code)
			require.Contains(t, []string{"body", "variables", "defaults"}, e.Field)
			return
		}
		require.Equal(t, declared, vars)
		values := map[string]string{}
		for _, v := range vars {
			values[v] = "<" + v + ">"
		}
		for _, s := range []string{title, body} {
			out, missing := render(s, values)
			require.Empty(t, missing)
			// Every placeholder is replaced by its value.
			for _, n := range placeholders(s) {
				require.Contains(t, out, "<"+n+">")
			}
		}
	})
}
