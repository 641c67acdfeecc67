package notify_test

import (
	"os"
	"testing"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// TestMain removes internal/testapp's seeded community after the tests.
func TestMain(m *testing.M) { os.Exit(testapp.Run(m)) }
