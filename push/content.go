package push

import (
	"context"
	"strings"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/appuser"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/intake"
	"github.com/pushd/pushd/tenant"
)

// CreateTemplate validates and stores a template.
func (s *Service) CreateTemplate(ctx context.Context, in ent.CreateTemplateInput) (*ent.Template, error) {
	if err := tenant.Require(ctx, in.AppID, tenant.NeedWrite); err != nil {
		return nil, err
	}
	spec := TemplateSpec{Variables: in.Variables, Defaults: in.Defaults}
	if in.Title != nil {
		spec.Title = *in.Title
	}
	if in.Body != nil {
		spec.Body = *in.Body
	}
	vars, err := intake.CheckTemplate(spec)
	if err != nil {
		return nil, err
	}
	in.Variables = vars
	return s.client.Template.Create().SetInput(in).Save(ctx)
}

// UpdateTemplate changes a template; the result must still be valid.
func (s *Service) UpdateTemplate(ctx context.Context, id nodeid.ID, in ent.UpdateTemplateInput) (*ent.Template, error) {
	var out *ent.Template
	err := s.withTx(ctx, func(tx *ent.Tx) error {
		cur, err := tx.Template.Get(ctx, id)
		if err != nil {
			return core.NotFoundAs(err, "template")
		}
		spec := TemplateSpec{Title: cur.Title, Body: cur.Body, Variables: cur.Variables, Defaults: cur.Defaults}
		if in.Title != nil {
			spec.Title = *in.Title
		}
		if in.Body != nil {
			spec.Body = *in.Body
		}
		switch {
		case in.ClearVariables || in.Variables != nil:
			spec.Variables = append([]string(nil), in.Variables...)
		}
		spec.Variables = append(spec.Variables, in.AppendVariables...)
		in.AppendVariables = nil
		if in.ClearDefaults {
			spec.Defaults = nil
		}
		if in.Defaults != nil {
			spec.Defaults = in.Defaults
		}
		vars, err := intake.CheckTemplate(spec)
		if err != nil {
			return err
		}
		in.Variables, in.ClearVariables = vars, false
		out, err = tx.Template.UpdateOneID(id).SetInput(in).Save(ctx)
		return err
	})
	return out, err
}

// DeleteTemplate deletes a template. Jobs already rendered from it keep
// their content.
func (s *Service) DeleteTemplate(ctx context.Context, id nodeid.ID) error {
	return core.NotFoundAs(s.client.Template.DeleteOneID(id).Exec(ctx), "template")
}

// CreateGroup creates a group of users of one app.
func (s *Service) CreateGroup(ctx context.Context, in ent.CreateGroupInput) (*ent.Group, error) {
	if err := tenant.Require(ctx, in.AppID, tenant.NeedWrite); err != nil {
		return nil, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return nil, core.Invalid("name", "must not be empty")
	}
	if err := s.checkMembers(ctx, in.AppID, in.MemberIDs); err != nil {
		return nil, err
	}
	return s.client.Group.Create().SetInput(in).Save(ctx)
}

// UpdateGroup renames a group or changes its members.
func (s *Service) UpdateGroup(ctx context.Context, id nodeid.ID, in ent.UpdateGroupInput) (*ent.Group, error) {
	g, err := s.client.Group.Get(ctx, id)
	if err != nil {
		return nil, core.NotFoundAs(err, "group")
	}
	if in.Name != nil {
		n := strings.TrimSpace(*in.Name)
		if n == "" {
			return nil, core.Invalid("name", "must not be empty")
		}
		in.Name = &n
	}
	if err := s.checkMembers(ctx, g.AppID, in.AddMemberIDs); err != nil {
		return nil, err
	}
	g, err = s.client.Group.UpdateOneID(id).SetInput(in).Save(ctx)
	return g, core.NotFoundAs(err, "group")
}

// DeleteGroup deletes a group; its users stay.
func (s *Service) DeleteGroup(ctx context.Context, id nodeid.ID) error {
	return core.NotFoundAs(s.client.Group.DeleteOneID(id).Exec(ctx), "group")
}

// maxGroupChange bounds the members added in one call.
const maxGroupChange = 10_000

// checkMembers makes sure every member is a user of the group's app: the
// scope rules would let a principal of two apps mix them otherwise.
func (s *Service) checkMembers(ctx context.Context, app nodeid.ID, ids []nodeid.ID) error {
	if len(ids) == 0 {
		return nil
	}
	if len(ids) > maxGroupChange {
		return core.Invalid("memberIDs", "at most %d members per call, got %d", maxGroupChange, len(ids))
	}
	n, err := s.client.AppUser.Query().
		Where(appuser.AppID(app), appuser.IDIn(ids...)).
		Count(ctx)
	if err != nil {
		return err
	}
	if n != len(core.Unique(ids)) {
		return core.Invalid("memberIDs", "every member must be a user of the group's app")
	}
	return nil
}
