"""Reading SPARQL text without running it: federated ``SERVICE`` calls, plain literals, error messages.

pyoxigraph parses and runs queries but shows us neither its syntax tree nor
a switch to turn ``SERVICE`` off, and it would send an HTTP request to any
address a ``SERVICE <…>`` names. So before a query runs we lex it here: the
SPARQL grammar makes ``SERVICE`` a bare keyword, so a query holds a federated
call only if a bare word ``service`` (any case) stands outside its strings,
IRIs and comments. The lexer is deliberately simple and errs on the side of
refusing: ``?service``, ``ex:service`` and ``"service"`` pass, any bare
``SERVICE`` is refused, with ``\\u`` escapes undone first (SPARQL 1.1 allows
them anywhere in a query).

The same tokens give two kindnesses: a hint when a plain literal
(``"プーチン"``) matches nothing while the graph's labels are tagged ``@ja``,
and one-line syntax errors instead of Oxigraph's lists of Unicode ranges.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

__all__ = ["Token", "explain_syntax_error", "find_service", "plain_literals", "tag_plain_literals", "tokens"]

# Order matters: comments, IRIs and long strings before the short forms they start with.
_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[\w\u00b7\u0300-\u036f\u203f-\u2040%\\:.-]+)
  | (?P<space>\s+)
  | (?P<punct>\^\^|.)
""", re.VERBOSE | re.DOTALL)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind (comment, iri, string, var, lang, word, space, punct), text and offset."""

    kind: str
    text: str
    start: int


def tokens(query: str) -> Iterator[Token]:
    """The query's tokens, in order; every character belongs to exactly one."""
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "punct"
        yield Token(kind, match.group(), match.start())


def _unescape(query: str) -> str:
    """Undo ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes, as SPARQL 1.1 allows before parsing."""
    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group()
    return _ESCAPE.sub(replace, query)


def find_service(query: str) -> tuple[int, int] | None:
    """``(line, column)`` of the first ``SERVICE`` keyword in the query, or None if it has none.

    Checked on the text as written and with ``\\u`` escapes undone, so
    ``\\u0053ERVICE`` is caught whether or not the engine undoes them.
    """
    for text in dict.fromkeys((query, _unescape(query))):
        for tok in tokens(text):
            if tok.kind == "word" and tok.text.strip(".").casefold() == "service":
                return line_column(text, tok.start)
    return None


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def plain_literals(query: str) -> list[Token]:
    """String literals with neither a language tag nor a datatype (``"プーチン"``, not ``"プーチン"@ja``).

    A GROUP_CONCAT separator (``separator="、"``) is not one: the grammar allows
    no tag there, and tagging it would make the query a syntax error.
    """
    toks = [t for t in tokens(query) if t.kind not in ("space", "comment")]
    return [t for n, t in enumerate(toks) if t.kind == "string"
            and not (n + 1 < len(toks) and (toks[n + 1].kind == "lang" or toks[n + 1].text == "^^"))
            and not _is_separator(toks, n)]


def _is_separator(toks: list[Token], n: int) -> bool:
    """Whether the string at ``toks[n]`` is a GROUP_CONCAT's ``SEPARATOR = "…"``."""
    return n >= 2 and toks[n - 1].text == "=" and toks[n - 2].text.casefold() == "separator"


def tag_plain_literals(query: str, lang: str = "ja") -> str:
    """The query with every plain literal given the language tag ``lang``."""
    out, last = [], 0
    for tok in plain_literals(query):
        end = tok.start + len(tok.text)
        out += [query[last:end], f"@{lang}"]
        last = end
    return "".join(out) + query[last:]


# ---------------------------------------------------------------- syntax errors

_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_CHAR_CLASS = re.compile(r"\[[^\]]*\]")
_EXPECTED_ITEM = re.compile(r'"(?:[^"\\]|\\.)*"|\b[A-Za-z][A-Za-z_]*\b')


def explain_syntax_error(message: str, query: str, *, prefixes: Mapping[str, str] = {}) -> str:
    """One line for Oxigraph's syntax error ``message``: what is wrong, where (line:column), a hint.

    Oxigraph lists every token it would have accepted, character classes
    included (hundreds of Unicode ranges); we keep the words a person can
    act on and say what the usual cause is.
    """
    match = _POSITION.match(" ".join(message.split()))
    if match is None:
        return " ".join(message.split())
    line, column, expected = int(match.group(1)), int(match.group(2)), match.group(3)
    where = f"at {line}:{column}"
    offset = _offset(query, line, column)
    if "Prefix not found" in expected:
        name = _prefix_before(query, offset)
        known = ", ".join(sorted(prefixes)) or "none"
        return (f"unknown prefix {name + ':' if name is not None else ''} {where}: declare it with "
                f"PREFIX {name or 'p'}: <…> or use a predeclared one ({known})").replace("  ", " ")
    if "IRI parsing failed" in expected:
        return f"invalid IRI {where}: an IRI is written <http://…> with no spaces or quotes inside"
    if "variable that is unbound" in expected:
        return f"{where}: a SELECT with an aggregate (COUNT, SUM…) must GROUP BY every other variable it selects"
    wanted = _readable(expected)
    wanted = f"; expected {wanted}" if wanted else ""
    first = next((t.text.upper() for t in tokens(query) if t.kind == "word"), "")
    if first not in _QUERY_STARTS:
        return (f"a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE (after any PREFIX and BASE lines), "
                f"not {first[:20]!r}")
    if not query[offset:].strip():
        unclosed = _unclosed(query)
        return f"the query ends too early {where}" + (f": {unclosed}" if unclosed else wanted)
    near = query[offset:offset + 20].split("\n")[0].strip()
    return f"unexpected {near!r} {where}{wanted}"


def _offset(query: str, line: int, column: int) -> int:
    lines = query.split("\n")
    if line > len(lines):
        return len(query)
    return min(len(query), sum(len(lines[n]) + 1 for n in range(line - 1)) + column - 1)


def _prefix_before(query: str, offset: int) -> str | None:
    """The prefix of the prefixed name the parser stopped in (``foo`` of ``foo:Person``)."""
    for tok in tokens(query):
        if tok.kind == "word" and ":" in tok.text and tok.start <= offset <= tok.start + len(tok.text):
            return tok.text.split(":", 1)[0]
    return None


_QUERY_STARTS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "PREFIX", "BASE"})
_OPENERS = {"{": "}", "(": ")", "[": "]"}


def _unclosed(query: str) -> str | None:
    """What is still open at the end of the query (a bracket, a string), as words for a message."""
    stack: list[str] = []
    for tok in tokens(query):
        if tok.kind == "punct" and tok.text in _OPENERS:
            stack.append(tok.text)
        elif tok.kind == "punct" and tok.text in _OPENERS.values() and stack and _OPENERS[stack[-1]] == tok.text:
            stack.pop()
        elif tok.kind == "punct" and tok.text in "\"'":
            return f"a string opened with {tok.text} is not closed"
    return f"a {stack[-1]} is not closed (add {_OPENERS[stack[-1]]})" if stack else None


def _readable(expected: str) -> str:
    """``one of ",", "}", ['%'], [_]…`` → ``",", "}"``: drop character classes and placeholders."""
    text = _CHAR_CLASS.sub("", expected.removeprefix("expected ").removeprefix("one of "))
    return ", ".join(_EXPECTED_ITEM.findall(text)[:8])
