"""fides.api.util.text.to_snake_case (anyascii's transliteration left out: the names it converts are ASCII)."""

import re


def to_snake_case(text: str) -> str:
    text = text.lower().strip()
    text = re.sub(r"[^\w\s-]", "", text)
    text = re.sub(r"[\s-]+", "_", text)
    text = re.sub(r"^-+|-+$", "", text)
    return text
