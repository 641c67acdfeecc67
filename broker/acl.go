package broker

import "strings"

// The ACL is default deny: a device owns devices/{id}/… and nothing else;
// an integration account has exactly the patterns the directory gives it.
// Every check returns the reason for a refusal, or "" when allowed.

const (
	topicRoot    = "devices/"
	suffixCmd    = "cmd"
	suffixStatus = "status"
)

// validID reports whether s is an acceptable client id: ^[A-Za-z0-9_-]{1,64}$.
func validID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// reservedIDs are client ids the broker uses itself: a device called
// "inline" would take over mochi's inline client, the one Publish uses.
var reservedIDs = map[string]bool{"inline": true}

// policy is one account's ACL, built once per session.
type policy struct {
	acct   Account
	prefix string // devices/{id}/ (a prefix of status: one allocation per session)
	status string // devices/{id}/status
	maxLen int
}

func newPolicy(acct Account, maxTopicLen int) policy {
	status := topicRoot + acct.ID + "/" + suffixStatus
	return policy{acct: acct, prefix: status[:len(status)-len(suffixStatus)], status: status, maxLen: maxTopicLen}
}

// isCmd reports whether topic is the device's downlink topic devices/{id}/cmd.
func (p *policy) isCmd(topic string) bool {
	rest, ok := strings.CutPrefix(topic, p.prefix)
	return ok && rest == suffixCmd
}

// publish checks a topic name the account wants to publish to (also used
// for wills and retained messages, which follow the same rule).
func (p *policy) publish(topic string) string {
	if r := checkTopic(topic, false, p.maxLen); r != "" {
		return r
	}
	if p.acct.Integration {
		for _, pat := range p.acct.Publish {
			if covers(pat, topic) {
				return ""
			}
		}
		return "not in publish patterns"
	}
	if strings.HasPrefix(topic, "$") {
		return "$ topic"
	}
	suffix, ok := strings.CutPrefix(topic, p.prefix)
	switch {
	case !ok:
		return "foreign topic"
	case suffix == "" || hasEmptyLevel(suffix):
		return "empty topic level"
	case suffix == suffixCmd || strings.HasPrefix(suffix, suffixCmd+"/"):
		return "downlink topic"
	}
	return ""
}

// subscribe checks a filter the account wants to subscribe to, and a topic
// name about to be delivered to it (a filter without wildcards).
func (p *policy) subscribe(filter string) string {
	if r := checkTopic(filter, true, p.maxLen); r != "" {
		return r
	}
	if isSharedFilter(filter) {
		return "shared subscription" // no use in the appliance; refused for all
	}
	if p.acct.Integration {
		for _, pat := range p.acct.Subscribe {
			if covers(pat, filter) {
				return ""
			}
		}
		return "not in subscribe patterns"
	}
	switch {
	case p.isCmd(filter):
		return ""
	case strings.HasPrefix(filter, "$"):
		return "$ topic"
	case strings.ContainsAny(filter, "+#"):
		return "wildcard subscription"
	}
	return "foreign topic"
}

// suffix returns what follows devices/{id}/ for a device's own topic, ""
// for an integration account's.
func (p *policy) suffix(topic string) string {
	if p.acct.Integration {
		return ""
	}
	s, _ := strings.CutPrefix(topic, p.prefix)
	return s
}
