"""Both catalogs translate every message the code and templates use."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["zh_Hans", "en"]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Extract the messages afresh from the source, as `make translations` does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with pot.open("rb") as file:
        return read_po(file)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(extracted, language):
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file)

    def translated(message_id) -> bool:
        message = catalog.get(message_id)
        if message is None or message.fuzzy:
            return False
        return all(message.string) if message.pluralizable else bool(message.string)

    missing = [message.id for message in extracted if message.id and not translated(message.id)]
    assert missing == [], f"run `make translations` and translate these in {language}"
    assert len(extracted) > 30  # the extraction really found the app's messages


def test_translations_change_what_people_read(client):
    chinese = client.get("/?lang=zh_Hans").text
    english = client.get("/?lang=en").text
    assert "跳到正文" in chinese and "Skip to content" in english
