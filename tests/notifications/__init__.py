"""Stories of the e-mail outbox and its worker."""
