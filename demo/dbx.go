package demo

import "github.com/pocketbase/dbx"

// dbxEq is a column = value condition for counts and lookups.
func dbxEq(column string, value any) dbx.Expression {
	return dbx.HashExp{column: value}
}
