package intake

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pushd/pushd/push/core"
)

// Placeholders are written {{name}} with optional spaces inside the braces;
// a name is a letter or underscore, then letters, digits, '_', '.' or '-'.
// Anything else between braces is literal text, so "{{ }}" or "{{1}}"
// render as written instead of failing a push.

// placeholders returns the distinct placeholder names in s, in order of
// first appearance.
func placeholders(s string) []string {
	var names []string
	for rest := s; ; {
		name, after, ok := nextPlaceholder(rest)
		if !ok {
			return names
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
		rest = after
	}
}

// nextPlaceholder finds the first placeholder in s and returns its name and
// the text after it.
func nextPlaceholder(s string) (name, after string, ok bool) {
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			return "", "", false
		}
		j := strings.Index(s[i+2:], "}}")
		if j < 0 {
			return "", "", false
		}
		inner := strings.TrimSpace(s[i+2 : i+2+j])
		if validVarName(inner) {
			return inner, s[i+2+j+2:], true
		}
		s = s[i+2:]
	}
}

func validVarName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
		case i > 0 && (r >= '0' && r <= '9' || r == '.' || r == '-'):
		default:
			return false
		}
	}
	return true
}

// render replaces every placeholder in s with its value from vars. It
// reports the names that have no value; s is returned unchanged then.
func render(s string, vars map[string]string) (string, []string) {
	var b strings.Builder
	var missing []string
	rest := s
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(rest[i+2:], "}}")
		if j < 0 {
			break
		}
		inner := strings.TrimSpace(rest[i+2 : i+2+j])
		if !validVarName(inner) {
			b.WriteString(rest[:i+2])
			rest = rest[i+2:]
			continue
		}
		b.WriteString(rest[:i])
		v, ok := vars[inner]
		if !ok {
			if !slices.Contains(missing, inner) {
				missing = append(missing, inner)
			}
		}
		b.WriteString(v)
		rest = rest[i+2+j+2:]
	}
	if len(missing) > 0 {
		return s, missing
	}
	b.WriteString(rest)
	return b.String(), nil
}

// TemplateSpec is a template's content as a caller gives it.
type TemplateSpec struct {
	Title     string
	Body      string
	Variables []string
	Defaults  map[string]any
}

// CheckTemplate validates a template and returns its complete variable
// list: the declared variables, or those its placeholders use when none are
// declared. Every placeholder must be declared, every default must belong
// to a declared variable and be a string.
func CheckTemplate(t TemplateSpec) ([]string, error) {
	used := placeholders(t.Title)
	for _, n := range placeholders(t.Body) {
		if !slices.Contains(used, n) {
			used = append(used, n)
		}
	}
	if strings.TrimSpace(t.Title) == "" && strings.TrimSpace(t.Body) == "" {
		return nil, core.Invalid("body", "a template needs a title or a body")
	}
	vars := t.Variables
	if len(vars) == 0 {
		vars = used
	}
	for _, v := range vars {
		if !validVarName(v) {
			return nil, core.Invalid("variables", "%q is not a valid variable name (letters, digits, '_', '.', '-'; starting with a letter or '_'; at most 64)", v)
		}
	}
	var undeclared []string
	for _, n := range used {
		if !slices.Contains(vars, n) {
			undeclared = append(undeclared, n)
		}
	}
	if len(undeclared) > 0 {
		return nil, core.Invalid("variables", "placeholders not declared in variables: %s", strings.Join(undeclared, ", "))
	}
	for k, v := range t.Defaults {
		if !slices.Contains(vars, k) {
			return nil, core.Invalid("defaults", "default for undeclared variable %q", k)
		}
		if _, ok := v.(string); !ok {
			return nil, core.Invalid("defaults", "default for %q must be a string, got %s", k, jsonKind(v))
		}
	}
	return vars, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	}
	return fmt.Sprintf("a %T", v)
}
