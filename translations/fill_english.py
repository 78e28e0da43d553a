"""Fill the English catalog: the source strings are English, so each translation is its msgid.

Only empty entries are filled, so a hand-made English wording is never overwritten.
"""

import sys

from babel.messages.pofile import read_po, write_po


def fill(path: str) -> int:
    with open(path, "rb") as po_file:
        catalog = read_po(po_file)
    filled = 0
    for message in catalog:
        if not message.id:  # the header
            continue
        translated = all(message.string) if message.pluralizable else bool(message.string)
        if not translated or message.fuzzy:
            # English has two plural forms, the same two the msgid carries.
            message.string = message.id
            message.flags.discard("fuzzy")
            filled += 1
    with open(path, "wb") as po_file:
        write_po(po_file, catalog, omit_header=False, sort_output=True, no_location=True)
    return filled


if __name__ == "__main__":
    for catalog_path in sys.argv[1:]:
        print(f"{catalog_path}: {fill(catalog_path)} messages filled")
