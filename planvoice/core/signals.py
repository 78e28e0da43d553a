"""Signals that tie domains together without imports in both directions.

Senders pass the object as the sender and keyword arguments as documented; receivers must not
commit (they run inside the sender's transaction, so what they write is committed with it).
"""

from blinker import Namespace

_signals = Namespace()

#: A report moved to a new public step of its life (``sender``: the report; ``status``: the
#: new status; ``note``: the public note of the step, if any). Sent by reports.services after
#: the change is flushed; notifications queues e-mails to the people concerned.
report_changed = _signals.signal("report-changed")
