"""Small named exceptions for user mistakes.

The CLI turns any :class:`KgError` into one clear line and a non-zero exit;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class KgError(Exception):
    """A problem the user can fix; the message says what to do."""


class CorpusError(KgError):
    """A corpus path or file that cannot be read as documents."""


class ModelError(KgError):
    """The NLP model is missing or cannot be loaded."""


class ConfigError(KgError):
    """A user data file (aliases, rules, gold) that is malformed."""
