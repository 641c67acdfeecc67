package notify

import (
	"html"
	"strings"
	"time"
	"unicode/utf8"
)

// severityLabels are the severities as the people on the other end read
// them.
var severityLabels = map[string]string{
	"critical": "紧急", "major": "重要", "minor": "一般", "warning": "警告", "info": "提示",
}

func severityLabel(s string) string {
	if l, ok := severityLabels[s]; ok {
		return l
	}
	return "通知"
}

// localTime formats t for people, in the appliance's time zone.
func localTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(time.Local).Format("2006-01-02 15:04:05")
}

// subject is the one-line form: "【紧急】SOS: 陈阿婆".
func subject(p Payload) string {
	return "【" + severityLabel(p.Severity) + "】" + p.Title
}

// facts are the labelled lines under the subject.
func facts(p Payload) [][2]string {
	var out [][2]string
	for _, f := range [][2]string{{"老人", p.Elder}, {"地址", p.Address}, {"时间", localTime(p.At)}} {
		if f[1] != "" {
			out = append(out, f)
		}
	}
	return out
}

// plainText is the message as plain lines (e-mail, SMS, Feishu text).
func plainText(p Payload) string {
	var b strings.Builder
	b.WriteString(subject(p))
	for _, f := range facts(p) {
		b.WriteString("\n" + f[0] + "：" + f[1])
	}
	if p.Body != "" {
		b.WriteString("\n" + p.Body)
	}
	return b.String()
}

// markdown is the message for the robots' markdown (WeCom, DingTalk).
func markdown(p Payload) string {
	var b strings.Builder
	b.WriteString("### " + mdEscape(subject(p)) + "\n")
	for _, f := range facts(p) {
		b.WriteString("> " + f[0] + "：" + mdEscape(f[1]) + "\n")
	}
	if p.Body != "" {
		b.WriteString("\n" + mdEscape(p.Body) + "\n")
	}
	return b.String()
}

// mdEscape keeps text from being read as markdown structure.
var mdEscape = strings.NewReplacer("\\", "\\\\", "*", "\\*", "_", "\\_", "`", "\\`", "[", "\\[", "]", "\\]", "<", "&lt;", ">", "&gt;").Replace

// htmlText is the e-mail's HTML part.
func htmlText(p Payload) string {
	var b strings.Builder
	b.WriteString("<h3>" + html.EscapeString(subject(p)) + "</h3>\n<p>")
	for _, f := range facts(p) {
		b.WriteString(html.EscapeString(f[0]+"："+f[1]) + "<br>\n")
	}
	b.WriteString("</p>\n")
	if p.Body != "" {
		b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(p.Body), "\n", "<br>\n") + "</p>\n")
	}
	return b.String()
}

// cutBytes cuts s to at most n bytes on a rune boundary (the robots limit
// bytes, not characters).
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
