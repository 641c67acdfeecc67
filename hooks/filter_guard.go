package hooks

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/ganigeorgiev/fexpr"
	validation "github.com/go-ozzo/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/search"

	"github.com/fengqiao/fengqiao/model"
)

// A list filter or sort runs inside the list rule, and PocketBase checks
// the related collection's list rule on the rows it joins, but not inside
// the "every item" subquery it builds for back-relations and multiple
// relations (operators without "?"). A resident may list grids, so
// `cases_via_grid.title !~ "patrol"` told them whether some case they may
// not see, in their grid, has "patrol" in its title: letter by letter, any
// field of any case. So a caller who cannot list everything (anyone but
// staff and superusers) may reach through a relation only into a
// collection they can list in full: public ones, and ones whose list rule
// depends on the caller alone (grids for any member, the duty roster for
// the workforce). The same holds for realtime subscription filters.

// viaPattern is PocketBase's back-relation syntax: cases_via_household.
var viaPattern = regexp.MustCompile(`^(\w+)_via_(\w+)$`)

// bindFilterGuard checks list requests and realtime subscriptions.
func bindFilterGuard(app core.App) {
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "filterGuard",
		Func: func(e *core.ServeEvent) error {
			e.Router.Bind(&hook.Handler[*core.RequestEvent]{Id: "filterGuard", Func: guardListQuery})
			return e.Next()
		},
	})
	app.OnRealtimeSubscribeRequest().Bind(&hook.Handler[*core.RealtimeSubscribeRequestEvent]{
		Id: "filterGuardRealtime",
		Func: func(e *core.RealtimeSubscribeRequestEvent) error {
			for _, sub := range e.Subscriptions {
				topic, rawQuery, _ := strings.Cut(sub, "?")
				var opts struct {
					Query map[string]any `json:"query"`
				}
				if q, err := url.ParseQuery(rawQuery); err == nil && q.Get("options") != "" {
					_ = json.Unmarshal([]byte(q.Get("options")), &opts) // unreadable options carry no filter
				}
				name, _, _ := strings.Cut(topic, "/")
				filter, _ := opts.Query["filter"].(string)
				if err := checkQuery(e.RequestEvent, name, map[string]string{"filter": filter}); err != nil {
					return err
				}
			}
			return e.Next()
		},
	})
}

// guardListQuery is a router middleware for GET /api/collections/{c}/records.
func guardListQuery(e *core.RequestEvent) error {
	parts := strings.Split(strings.Trim(e.Request.URL.Path, "/"), "/")
	if e.Request.Method != http.MethodGet || len(parts) != 4 || parts[0] != "api" || parts[1] != "collections" || parts[3] != "records" {
		return e.Next()
	}
	q := e.Request.URL.Query()
	if err := checkQuery(e, parts[2], map[string]string{"filter": q.Get("filter"), "sort": q.Get("sort")}); err != nil {
		return err
	}
	return e.Next()
}

// checkQuery refuses, naming the parameter, a filter or sort of collection
// that reaches a collection the caller cannot list in full.
func checkQuery(e *core.RequestEvent, collection string, params map[string]string) error {
	if e.HasSuperuserAuth() || (e.Auth != nil && e.Auth.Collection().Name == model.CollectionUsers && model.AsUser(e.Auth).IsStaffLike()) {
		return nil
	}
	col, err := e.App.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil // PocketBase answers 404 itself
	}
	errs := validation.Errors{}
	for param, value := range params {
		for _, ident := range queryIdentifiers(param, value) {
			if reached := closedHop(e, col, ident); reached != "" {
				errs[param] = validation.NewError("validation_relation_not_listable",
					fmt.Sprintf("%q reaches %s, which you cannot list in full.", ident, reached))
				break
			}
		}
	}
	if len(errs) > 0 {
		return router.NewApiError(http.StatusForbidden, "You may filter and sort only by what you can see.", errs)
	}
	return nil
}

// queryIdentifiers returns the field paths named by a filter or a sort. An
// unreadable filter yields none: PocketBase refuses it with 400 itself.
func queryIdentifiers(param, value string) []string {
	if value == "" {
		return nil
	}
	if param == "sort" {
		var out []string
		for _, f := range search.ParseSortFromString(value) {
			out = append(out, f.Name)
		}
		return out
	}
	groups, err := fexpr.Parse(value)
	if err != nil {
		return nil
	}
	var out []string
	var token func(t fexpr.Token)
	token = func(t fexpr.Token) {
		switch t.Type {
		case fexpr.TokenIdentifier:
			out = append(out, t.Literal)
		case fexpr.TokenFunction:
			args, _ := t.Meta.([]fexpr.Token)
			for _, a := range args {
				token(a)
			}
		}
	}
	var walk func(gs []fexpr.ExprGroup)
	walk = func(gs []fexpr.ExprGroup) {
		for _, g := range gs {
			switch item := g.Item.(type) {
			case fexpr.Expr:
				token(item.Left)
				token(item.Right)
			case []fexpr.ExprGroup:
				walk(item)
			}
		}
	}
	walk(groups)
	return out
}

// closedHop follows ident from col and returns the name of the first
// collection it reaches that the caller cannot list in full ("" if none).
func closedHop(e *core.RequestEvent, col *core.Collection, ident string) string {
	if strings.HasPrefix(ident, "@request.") || strings.HasPrefix(ident, "@collection.") {
		// PocketBase refuses these in list filters to all but superusers,
		// but not in realtime subscriptions: refuse them everywhere.
		parts := strings.SplitN(ident, ".", 3)
		return parts[0] + "." + parts[1]
	}
	if strings.HasPrefix(ident, "@") {
		return "" // @now, @yesterday… macros
	}
	props := strings.Split(ident, ".")
	for i, prop := range props {
		name, _, _ := strings.Cut(prop, ":")
		var next string
		switch f := col.Fields.GetByName(name).(type) {
		case *core.RelationField:
			if i == len(props)-1 {
				return "" // the relation's own ids
			}
			next = f.CollectionId
		case nil:
			m := viaPattern.FindStringSubmatch(name)
			if m == nil {
				return "" // unknown: PocketBase answers 400
			}
			next = m[1]
		default:
			return "" // a plain field, or a path inside a JSON or geo value
		}
		target, err := e.App.FindCachedCollectionByNameOrId(next)
		if err != nil {
			return ""
		}
		if !listableInFull(e, target) {
			return target.Name
		}
		col = target
	}
	return ""
}

// listableInFull reports whether the caller may list every record of col:
// its list rule is public, or names nothing but the caller (@request.*)
// and grants them.
func listableInFull(e *core.RequestEvent, col *core.Collection) bool {
	if col.ListRule == nil {
		return false
	}
	rule := *col.ListRule
	if rule == "" {
		return true
	}
	for _, ident := range queryIdentifiers("filter", rule) {
		if !strings.HasPrefix(ident, "@request.") {
			return false // depends on the record
		}
	}
	sample := &core.Record{}
	if err := e.App.RecordQuery(col).Limit(1).One(sample); err != nil {
		return true // nothing to learn from an empty collection
	}
	info, err := e.RequestInfo()
	if err != nil {
		return false
	}
	ok, err := e.App.CanAccessRecord(sample, info, col.ListRule)
	return err == nil && ok
}
