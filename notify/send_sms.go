package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// SMSTemplate is an sms channel's config: how to ask the SMS gateway to
// send one text. Placeholders: {{phone}}, {{text}} (the message, itself
// built from Text) and {{secret}} (the channel's hidden secret: an API
// key or password). They are escaped for where they stand: in URL as
// query values; in Body as JSON string content when the Content-Type
// header says json, as form values when it says x-www-form-urlencoded,
// as they are otherwise; in Headers as they are.
//
// Example, Yunpian (云片) single send, form-encoded, answer {"code":0,…}:
//
//	{
//	  "method": "POST",
//	  "url": "https://sms.yunpian.com/v2/sms/single_send.json",
//	  "headers": {"Content-Type": "application/x-www-form-urlencoded;charset=utf-8"},
//	  "body": "apikey={{secret}}&mobile={{phone}}&text={{text}}",
//	  "text": "【枫桥社区】{{title}}，地址：{{address}}",
//	  "success": {"path": "code", "value": "0"}
//	}
//
// The text must match a template approved by the gateway, sign (【…】)
// included. Gateways that sign each request themselves (Aliyun,
// Tencent Cloud) need a small relay that speaks this kind of request.
type SMSTemplate struct {
	// Method is the HTTP method (default POST).
	Method string `json:"method"`
	// URL is the gateway's URL (default: the channel's url).
	URL string `json:"url"`
	// Headers are sent as given (placeholders allowed).
	Headers map[string]string `json:"headers"`
	// Body is the request body (empty: none, e.g. for a GET gateway).
	Body string `json:"body"`
	// Text builds {{text}} from {{title}}, {{body}}, {{elder}},
	// {{address}}, {{severity}} (紧急, 重要…) and {{time}}; default
	// "【{{severity}}】{{title}}".
	Text string `json:"text"`
	// To lists the phones to text when the channel is named as an
	// escalation step's target.
	To []string `json:"to"`
	// Success says how the gateway's answer means "sent".
	Success SMSSuccess `json:"success"`
}

// SMSSuccess says what answer means the gateway took the text. All that
// are set must hold; with none set, any 2xx does.
type SMSSuccess struct {
	// Status is the wanted HTTP status (0: any 2xx).
	Status int `json:"status"`
	// Path is a dot path into a JSON answer ("code", "result.0.code"),
	// whose value must read as Value (0 and "0" both read "0").
	Path  string `json:"path"`
	Value string `json:"value"`
	// Body is the whole wanted answer, trimmed (e.g. "0" for SMSBao).
	Body string `json:"body"`
}

// maxSMSText caps the text (gateways split or refuse long texts).
const maxSMSText = 500

// sms sends a text to the delivery's phone through the delivery's sms
// channel (for person-to-phone deliveries, the oldest enabled one).
func (s *senders) sms(ctx context.Context, j *job) error {
	var t SMSTemplate
	if err := j.ch.Config(&t); err != nil {
		return permanent("sms channel %q: config is not an SMS template: %v", j.ch.Name(), err)
	}
	phone := j.d.Target()
	if phone == "" {
		return permanent("an sms delivery needs a phone")
	}
	rawURL := t.URL
	if rawURL == "" {
		rawURL = j.ch.URL()
	}
	if rawURL == "" {
		return permanent("sms channel %q has no url (channel url or config.url)", j.ch.Name())
	}
	method := strings.ToUpper(t.Method)
	if method == "" {
		method = http.MethodPost
	}
	text := []rune(smsText(t.Text, j.p))
	if len(text) > maxSMSText {
		text = text[:maxSMSText]
	}
	vals := map[string]string{"phone": phone, "text": string(text), "secret": j.ch.Secret()}
	h := http.Header{}
	for k, v := range t.Headers {
		h.Set(k, fill(v, vals, oneLine))
	}
	var body []byte
	if t.Body != "" {
		body = []byte(fill(t.Body, vals, bodyEscaper(h.Get("Content-Type"))))
	}
	_, answer, err := s.do(ctx, method, fill(rawURL, vals, url.QueryEscape), h, body, t.Success.Status)
	if err != nil {
		return err
	}
	return t.Success.check(answer)
}

// smsText renders the template of the text.
func smsText(tmpl string, p Payload) string {
	if tmpl == "" {
		tmpl = "【{{severity}}】{{title}}"
	}
	return strings.NewReplacer("{{title}}", p.Title, "{{body}}", p.Body, "{{elder}}", p.Elder,
		"{{address}}", p.Address, "{{severity}}", severityLabel(p.Severity), "{{time}}", localTime(p.At)).Replace(tmpl)
}

// fill replaces {{name}} by escape(vals[name]).
func fill(s string, vals map[string]string, escape func(string) string) string {
	pairs := make([]string, 0, 2*len(vals))
	for k, v := range vals {
		pairs = append(pairs, "{{"+k+"}}", escape(v))
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

func bodyEscaper(contentType string) func(string) string {
	ct := strings.ToLower(contentType)
	switch {
	case strings.Contains(ct, "json"):
		return jsonString
	case strings.Contains(ct, "x-www-form-urlencoded"):
		return url.QueryEscape
	}
	return func(s string) string { return s }
}

// jsonString escapes s for use inside a JSON string literal.
func jsonString(s string) string {
	b, _ := json.Marshal(s) // a string always encodes
	return string(b[1 : len(b)-1])
}

// oneLine keeps a header value on one line.
func oneLine(s string) string { return strings.NewReplacer("\r", "", "\n", " ").Replace(s) }

// check applies the success rules to a 2xx (or wanted-status) answer.
func (c SMSSuccess) check(answer []byte) error {
	if c.Body != "" && strings.TrimSpace(string(answer)) != c.Body {
		return fmt.Errorf("sms gateway answered %s, want %q", snippet(answer), c.Body)
	}
	if c.Path == "" {
		return nil
	}
	got, err := jsonPath(answer, c.Path)
	if err != nil {
		return fmt.Errorf("sms gateway answer: %w: %s", err, snippet(answer))
	}
	if got != c.Value {
		return fmt.Errorf("sms gateway answered %s=%s, want %s: %s", c.Path, got, c.Value, snippet(answer))
	}
	return nil
}

// jsonPath reads the value at a dot path ("a.b.0.c") of a JSON document
// as text: strings as they are, numbers as written, others as JSON.
func jsonPath(doc []byte, path string) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", fmt.Errorf("not JSON")
	}
	for _, key := range strings.Split(path, ".") {
		switch node := v.(type) {
		case map[string]any:
			next, ok := node[key]
			if !ok {
				return "", fmt.Errorf("no %q in %s", key, path)
			}
			v = next
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(node) {
				return "", fmt.Errorf("no element %q in %s", key, path)
			}
			v = node[i]
		default:
			return "", fmt.Errorf("%s: %q is not inside an object or list", path, key)
		}
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	}
	b, _ := json.Marshal(v)
	return string(b), nil
}
