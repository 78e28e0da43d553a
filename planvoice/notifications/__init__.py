"""Notifications: the outbox of e-mails and the worker that sends them."""
