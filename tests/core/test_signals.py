"""Every signal is documented in core.signals and connected when the app is built."""

from pathlib import Path

from planvoice.core import signals
from planvoice.notifications.services import tell_about_report


def test_every_report_signal_is_a_step_with_its_own_documentation():
    declared = {name for name in vars(signals) if name.startswith("report_")}
    assert {signal.name.replace("-", "_") for signal in signals.REPORT_STEPS} == declared
    lines = Path(signals.__file__).read_text(encoding="utf-8").splitlines()
    for name in declared:
        defined_at = next(i for i, line in enumerate(lines) if line.startswith(f"{name} = "))
        assert lines[defined_at - 1].startswith("#: "), f"{name} has no #: comment"


def test_building_the_app_connects_the_e_mail_receiver_to_every_step(app):
    for signal in signals.REPORT_STEPS:
        assert tell_about_report in list(signal.receivers_for(object())), signal.name
