"""Being written (issue 17)."""


def connect_receivers() -> None:
    """Connect this module's receivers to their signals (services.connect_receivers)."""
