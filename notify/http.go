package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	neturl "net/url"
	"strings"
	"time"
)

// maxAnswer is how much of a receiver's answer is read; errorSnippet how
// much of it goes into last_error.
const (
	maxAnswer    = 64 << 10
	errorSnippet = 200
)

// userAgent names the appliance to receivers.
const userAgent = "fengqiao-notify/1"

// do sends one request and returns the answer's status and body. Any
// status outside 2xx (or the wanted one, when want != 0) is an error
// naming the status and the start of the body, carrying Retry-After.
func (s *senders) do(ctx context.Context, method, url string, header http.Header, body []byte, want int) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, permanent("bad request to %s: %v", redact(url), err)
	}
	if body == nil {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", userAgent)
	res, err := s.client.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w", method, redact(url), unwrapURLError(err))
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(res.Body, maxAnswer))
	if err != nil {
		return res.StatusCode, nil, fmt.Errorf("%s %s: reading the answer: %w", method, redact(url), err)
	}
	ok := res.StatusCode >= 200 && res.StatusCode < 300
	if want != 0 {
		ok = res.StatusCode == want
	}
	if !ok {
		err := fmt.Errorf("HTTP %d from %s: %s", res.StatusCode, redact(url), snippet(answer))
		if after := parseRetryAfter(res.Header.Get("Retry-After"), time.Now()); after > 0 {
			return res.StatusCode, answer, &retryAfterError{err: err, after: after}
		}
		return res.StatusCode, answer, err
	}
	return res.StatusCode, answer, nil
}

// postJSON posts v as JSON with extra headers.
func (s *senders) postJSON(ctx context.Context, url string, v any, header http.Header) ([]byte, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, permanent("encode message: %v", err)
	}
	if header == nil {
		header = http.Header{}
	}
	header.Set("Content-Type", "application/json; charset=utf-8")
	_, answer, err := s.do(ctx, http.MethodPost, url, header, body, 0)
	return answer, err
}

// snippet is the start of an answer, on one line.
func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if s == "" {
		return "(empty answer)"
	}
	return cutBytes(s, errorSnippet)
}

// redact drops a URL's query (robot keys and tokens live there) for
// errors and logs.
func redact(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i] + "?…"
	}
	return u
}

// unwrapURLError drops *url.Error's copy of the URL (it would repeat the
// query that redact hides).
func unwrapURLError(err error) error {
	var ue *neturl.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
