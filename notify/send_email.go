package notify

import (
	"context"
	"fmt"
	"net/mail"

	"github.com/pocketbase/pocketbase/tools/mailer"
)

// email sends the notification through PocketBase's mailer (SMTP or
// sendmail, as set in the admin UI), from the app's sender name and
// address, to the delivery's target, with a plain and an HTML part.
func (s *senders) email(ctx context.Context, j *job) error {
	to, err := mail.ParseAddress(j.d.Target())
	if err != nil {
		return permanent("e-mail address %q: %v", j.d.Target(), err)
	}
	if j.p.Name != "" && to.Name == "" {
		to.Name = j.p.Name
	}
	meta := s.app.Settings().Meta
	msg := &mailer.Message{
		From:    mail.Address{Name: meta.SenderName, Address: meta.SenderAddress},
		To:      []mail.Address{*to},
		Subject: subject(j.p),
		Text:    plainText(j.p),
		HTML:    htmlText(j.p),
		Headers: map[string]string{"X-Fengqiao-Delivery": j.d.Id},
	}
	// The mailer takes no context: wait for it in the background so Stop
	// is not held up by a hanging SMTP server (at worst the row goes back
	// to pending and the mail is sent twice).
	done := make(chan error, 1)
	go func() { done <- s.app.NewMailClient().Send(msg) }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("send e-mail to %s: %w", to.Address, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("send e-mail to %s: %w", to.Address, ctx.Err())
	}
}
