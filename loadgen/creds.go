// Package loadgen drives an MQTT broker from the outside, the way devices
// do: `fengqiao simulate` (a believable community of sensors for a
// newcomer to watch) and `fengqiao bench` (throughput, latency, connection
// memory and reconnect storms, against the appliance or any MQTT broker,
// side by side). It is a plain MQTT client (paho for publishing and
// subscribing, raw mochi packets for mass connects) and knows nothing of
// PocketBase; reading the appliance's stored rows is the one place it
// opens the appliance's SQLite file, read-only.
package loadgen

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Cred is one MQTT login: client id (also the username) and token.
type Cred struct {
	ClientID string
	Token    string
}

// ReadCreds reads "client_id,token" lines (the output of `fengqiao device
// add --bulk`); blank lines and lines starting with # are skipped.
func ReadCreds(r io.Reader) ([]Cred, error) {
	var out []Cred
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		rec, err := csv.NewReader(strings.NewReader(s)).Read()
		if err != nil || len(rec) != 2 || rec[0] == "" {
			return nil, fmt.Errorf("credentials line %d: want client_id,token", line)
		}
		out = append(out, Cred{ClientID: rec[0], Token: rec[1]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read credentials: %w", err)
	}
	return out, nil
}

// ReadCredsFile reads credentials from a file.
func ReadCredsFile(path string) ([]Cred, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	defer f.Close()
	creds, err := ReadCreds(f)
	if err == nil && len(creds) == 0 {
		err = errors.New("credentials: " + path + " lists no device")
	}
	return creds, err
}

// WriteCreds writes credentials in the format ReadCreds reads.
func WriteCreds(w io.Writer, creds []Cred) error {
	cw := csv.NewWriter(w)
	for _, c := range creds {
		if err := cw.Write([]string{c.ClientID, c.Token}); err != nil {
			return fmt.Errorf("write credentials: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}
