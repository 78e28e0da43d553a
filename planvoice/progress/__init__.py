"""Progress on the plan's targets: who owns each one, its baseline, the entries its bureau
records (append-only), and the state derived from them (not started, on track, behind,
achieved, overdue)."""
