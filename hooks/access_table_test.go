package hooks_test

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// accessBlock is one collection of expectedAccess.
type accessBlock struct {
	collection, prefix string
	rows               map[testapp.Role]accessRow
}

// accessRow is one role's cells: read, create, update, delete.
type accessRow struct{ read, create, update, del string }

// parseAccess reads expectedAccess. Every block must list every role once
// and name only seeded records.
func parseAccess(text string, c *testapp.Community) ([]accessBlock, error) {
	var blocks []accessBlock
	for n, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		cells := strings.Split(line, "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if len(cells) != 5 {
			return nil, fmt.Errorf("line %d: want 5 cells, got %d: %q", n, len(cells), line)
		}
		if !strings.HasPrefix(line, " ") { // a block header: "cases (case.) | read | …"
			name, prefix, ok := strings.Cut(cells[0], " (")
			if !ok || !strings.HasSuffix(prefix, ")") {
				return nil, fmt.Errorf("line %d: want \"collection (prefix.)\", got %q", n, cells[0])
			}
			blocks = append(blocks, accessBlock{collection: name, prefix: strings.TrimSuffix(prefix, ")"), rows: map[testapp.Role]accessRow{}})
			continue
		}
		if len(blocks) == 0 {
			return nil, fmt.Errorf("line %d: a role before any collection", n)
		}
		b := &blocks[len(blocks)-1]
		role := testapp.Role(cells[0])
		if !slices.Contains(testapp.Roles, role) {
			return nil, fmt.Errorf("line %d: unknown role %q", n, role)
		}
		if _, dup := b.rows[role]; dup {
			return nil, fmt.Errorf("line %d: %s listed twice in %s", n, role, b.collection)
		}
		b.rows[role] = accessRow{cells[1], cells[2], cells[3], cells[4]}
	}
	for _, b := range blocks {
		for _, role := range testapp.Roles {
			row, ok := b.rows[role]
			if !ok {
				return nil, fmt.Errorf("%s: no row for %s", b.collection, role)
			}
			for _, cell := range []string{row.read, row.update, row.del} {
				if _, err := b.keys(c, role, cell); err != nil {
					return nil, err
				}
			}
			if row.create != "+" && row.create != "-" {
				return nil, fmt.Errorf("%s/%s: create is + or -, got %q", b.collection, role, row.create)
			}
		}
	}
	return blocks, nil
}

// keys resolves a read, update or delete cell to record keys.
func (b accessBlock) keys(c *testapp.Community, role testapp.Role, cell string) ([]string, error) {
	switch cell {
	case "-":
		return nil, nil
	case "*":
		return c.Keys(b.collection), nil
	case "self":
		return []string{testapp.UserKey(role)}, nil
	}
	seeded := c.Keys(b.collection)
	var out []string
	for _, short := range strings.Fields(cell) {
		key := b.prefix + short
		if !slices.Contains(seeded, key) {
			return nil, fmt.Errorf("%s/%s: no seeded record %s", b.collection, role, key)
		}
		out = append(out, key)
	}
	return out, nil
}
