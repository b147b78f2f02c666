"""Web pages to article text: trafilatura finds the article, lxml the title and URL.

Kept apart from the other readers because it needs the optional ``html``
extra (trafilatura, lxml_html_clean); nothing here is imported until a
``.html`` file is read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from kg.errors import CorpusError


@dataclass(frozen=True)
class HtmlPage:
    """What we keep of a web page: main text, title and canonical URL."""

    text: str
    title: str | None
    url: str | None


def extract_html(page: str) -> HtmlPage:
    """The article text, title (``og:title``, else ``<title>``) and canonical URL of a page.

    trafilatura does the work: it finds the article's main text and drops
    navigation, scripts and boilerplate; title and URL are read from lxml's
    tree of the page (XPath over ``<meta>``, ``<title>``, ``<link>``), no regexes
    over markup.
    """
    try:
        import trafilatura
    except ImportError:
        raise CorpusError("reading .html needs trafilatura: pip install 'kg[html]'") from None
    for name in ("trafilatura", "htmldate", "courlan"):
        # Their warnings ("empty HTML tree"…) would print past our one-line report.
        logging.getLogger(name).addHandler(logging.NullHandler())
        logging.getLogger(name).propagate = False
    try:
        tree = trafilatura.load_html(page)
        if tree is None:
            return HtmlPage(text="", title=None, url=None)
        title = _first_text(tree, "//meta[@property='og:title']/@content", "//head/title/text()",
                            "//title/text()")
        url = _first_text(tree, "//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content")
        # trafilatura edits the tree it is given, so it gets the markup, not our tree.
        result = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False,
                                             include_tables=True, deduplicate=False)
    except Exception as err:  # a third-party parser: any failure is this file's problem
        raise CorpusError(f"the HTML could not be parsed ({type(err).__name__}: {err})") from None
    if result is None:
        return HtmlPage(text="", title=title, url=url)
    return HtmlPage(text=(result.text or "").strip(), title=title or result.title or None,
                    url=url or result.url or None)


def _first_text(tree: Any, *paths: str) -> str | None:
    """The first non-empty value any of the XPath ``paths`` finds, whitespace collapsed."""
    for path in paths:
        for value in tree.xpath(path):
            text = " ".join(str(value).split())
            if text:
                return text
    return None
