"""The one error the plan importer raises for a file it cannot use.

A module of its own so the readers of each file format (``formats``) and the parser of the
plan's structure (``importer``) can both raise it without importing each other.
"""


class PlanFormatError(ValueError):
    """The uploaded file is not a plan we can read; the message is shown to the admin."""
