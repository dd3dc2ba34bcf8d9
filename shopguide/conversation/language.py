"""Per-message language: Chinese when the message has Chinese characters, else English.

Shoppers mix languages ("想买一条jeans"); any Chinese in a message means they read Chinese.
"""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["en", "zh"]
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def detect_language(text: str | None, previous: str | None = None) -> Language:
    """The message's language; a message with no letters at all (emoji, "42") keeps the previous one."""
    text = text or ""
    if _CJK.search(text):
        return "zh"
    if re.search(r"[A-Za-z]", text):
        return "en"
    return "zh" if previous == "zh" else "en"
