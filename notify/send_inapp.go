package notify

import "context"

// inapp: the deliveries row is the in-app notification. The recipient's
// app hears it over PocketBase realtime (deliveries' API rule lets a user
// read their own rows), so there is nothing to send: it is sent.
func (s *senders) inapp(_ context.Context, j *job) error {
	if j.d.Recipient() == "" {
		return permanent("an in-app delivery needs a recipient")
	}
	return nil
}
