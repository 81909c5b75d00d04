package intake

import (
	"strings"
	"testing"

	"github.com/pushd/pushd/push/core"

	"github.com/stretchr/testify/require"
)

func TestPlaceholders(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"no vars", nil},
		{"Hi {{name}}", []string{"name"}},
		{"{{ name }} and {{name}} and {{order.id}}", []string{"name", "order.id"}},
		{"{{}} {{ }} {{1x}} {{a b}}", nil},
		{"{{a}}{{b}}", []string{"a", "b"}},
		{"{{unclosed", nil},
		{"{{{x}}}", nil},
	} {
		require.Equal(t, tc.want, placeholders(tc.in), "input %q", tc.in)
	}
}

func TestRender(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		vars    map[string]string
		want    string
		missing []string
	}{
		{"Hi {{name}}!", map[string]string{"name": "Ada"}, "Hi Ada!", nil},
		{"{{ a }}{{b}}{{a}}", map[string]string{"a": "1", "b": "2"}, "121", nil},
		{"literal {{ }} and {{9}}", nil, "literal {{ }} and {{9}}", nil},
		{"{{a}} {{b}} {{a}}", map[string]string{}, "{{a}} {{b}} {{a}}", []string{"a", "b"}},
		{"tail {{x", nil, "tail {{x", nil},
		{"value with braces", map[string]string{"v": "{{v}}"}, "value with braces", nil},
		{"{{v}}", map[string]string{"v": "{{w}}"}, "{{w}}", nil},
	} {
		got, missing := render(tc.in, tc.vars)
		require.Equal(t, tc.want, got, "input %q", tc.in)
		require.Equal(t, tc.missing, missing, "input %q", tc.in)
	}
}

func TestCheckTemplate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		spec    TemplateSpec
		vars    []string
		errPart string
	}{
		{"derives variables", TemplateSpec{Title: "{{a}}", Body: "{{b}} {{a}}"}, []string{"a", "b"}, ""},
		{"declared superset", TemplateSpec{Body: "{{a}}", Variables: []string{"a", "b"}}, []string{"a", "b"}, ""},
		{"undeclared placeholder", TemplateSpec{Body: "{{a}} {{c}}", Variables: []string{"a"}}, nil, "not declared in variables: c"},
		{"empty", TemplateSpec{}, nil, "needs a title or a body"},
		{"bad variable name", TemplateSpec{Body: "x", Variables: []string{"9"}}, nil, "not a valid variable name"},
		{"default for unknown", TemplateSpec{Body: "{{a}}", Defaults: map[string]any{"z": "1"}}, nil, `undeclared variable "z"`},
		{"default not string", TemplateSpec{Body: "{{a}}", Defaults: map[string]any{"a": 1.0}}, nil, "must be a string"},
		{"good default", TemplateSpec{Body: "{{a}}", Defaults: map[string]any{"a": "x"}}, []string{"a"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vars, err := CheckTemplate(tc.spec)
			if tc.errPart != "" {
				require.ErrorContains(t, err, tc.errPart)
				e, ok := core.AsError(err)
				require.True(t, ok)
				require.Equal(t, core.CodeInvalidArgument, e.Code)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.vars, vars)
		})
	}
}

// FuzzRender checks that rendering never panics, that every placeholder it
// finds is reported missing when no values are given, and that giving each
// one a value renders without missing names.
func FuzzRender(f *testing.F) {
	for _, s := range []string{"Hi {{name}}", "{{ a }}{{b}}", "{{", "}}{{x}}{{", "{{{{a}}}}", "{{a.b-c}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		names := placeholders(s)
		out, missing := render(s, nil)
		require.Equal(t, names, missing)
		if len(names) > 0 {
			require.Equal(t, s, out)
		}
		vars := map[string]string{}
		for _, n := range names {
			vars[n] = "V"
		}
		out, missing = render(s, vars)
		require.Empty(t, missing)
		// Rendering is one pass: values are never expanded again, so output
		// can only shrink by the placeholders' own text.
		require.LessOrEqual(t, len(out), len(s)+len(names)*strings.Count(s, "{{"), "rendered %q from %q", out, s)
	})
}
