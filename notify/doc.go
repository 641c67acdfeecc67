// Package notify is the notification outbox: it turns an alarm's (or a
// case's) audiences into people, writes one deliveries row per person and
// way of reaching them, and a worker sends the rows.
//
// # Writing: Recipients and Enqueue
//
// The alarm engine calls Recipients to resolve an escalation step's
// audiences (rules.Audience…) and Enqueue to write the step's deliveries,
// both inside the transaction that raises or escalates the alarm: the alarm
// and its deliveries commit together, and a crash before the commit loses
// neither half alone. Enqueue never fails on what cannot be sent (a person
// without a phone, a channel that does not exist): that is logged and left
// out of the count; it fails only when the database does.
//
// # Sending: the Worker
//
// A delivery is pending, then sending (claimed by the worker in a
// transaction), then sent. A failed attempt leaves it failed, with
// attempts, last_error and next_attempt_at (exponential backoff, capped)
// on the row, and it is retried until it succeeds: a dead webhook gets its
// delivery when it answers again. Only a delivery no retry can help (its
// channel was deleted or disabled, it has no address) becomes dead, with
// the reason in last_error; staff can retry it (Retry). A crash while
// sending leaves rows in sending; Start puts them back to pending, so a
// crash costs at most a second copy of a message, never the message.
//
// # Kinds
//
//   - inapp: the row is the notification; the recipient's app subscribes to
//     deliveries over PocketBase realtime (the API rule lets recipients read
//     their own rows). The worker marks it sent at once.
//   - mqtt: published with QoS 1, not retained, on alarms/{severity}/{alarm
//     id} through a Publisher (the broker) as
//     {"id","severity","title","elder","address","at"}. Not retained because
//     nothing would reliably clear a retained alarm when it is resolved or
//     deleted, and a board showing a stale alarm is worse than one showing
//     none; sirens and boards keep a persistent session (clean session off)
//     to receive what they missed while briefly offline.
//   - webhook: a JSON POST {"type","timestamp","data"} signed the Standard
//     Webhooks way (webhook-id = the delivery id, stable across retries;
//     webhook-timestamp; webhook-signature "v1,<base64 HMAC-SHA256>"). The
//     channel's secret is "whsec_<base64 key>"; any other string is used as
//     the key's bytes; no secret sends the request unsigned.
//   - wecom, dingtalk, feishu: the group robots' documented JSON (markdown,
//     markdown with optional 加签 query parameters, text with timestamp and
//     sign in the body); an errcode or code other than 0 is a failure.
//   - email: PocketBase's mailer, the sender from the app's settings.
//   - sms: an HTTP request built from the sms channel's config template
//     (see SMSTemplate); person-to-phone deliveries use the first enabled
//     sms channel.
//
// The channel's current url, secret and config are read at each attempt,
// so fixing a channel in the admin UI fixes its pending deliveries too.
package notify
