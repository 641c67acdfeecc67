package hooks_test

import (
	"os"
	"testing"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// TestMain removes the seeded community of internal/testapp after the
// tests of this package (one TestMain per package: add to this one).
func TestMain(m *testing.M) { os.Exit(testapp.Run(m)) }
