"""Small named exceptions for user mistakes.

The CLI turns any :class:`KgError` into one clear line and a non-zero exit;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import re


class KgError(Exception):
    """A problem the user can fix; the message says what to do."""


class CorpusError(KgError):
    """A corpus path or file that cannot be read as documents."""


class ModelError(KgError):
    """The NLP model is missing or cannot be loaded."""


class ConfigError(KgError):
    """A user data file (aliases, rules, gold) that is malformed."""


# C0 and C1 control characters (ESC starts terminal escape sequences) and the
# bidirectional overrides that can make a line read differently than it is.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` safe for a terminal: control characters shown as ``\\x1b``-style escapes.

    Article text and file names reach warnings and tables; an escape
    sequence in them must show as text, not move the cursor or recolour the
    screen, and a line break must not split a one-line message.
    """
    return _UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], text)
