"""Cleaning and folding of user text.

Every text a person or an import brings is either escaped by the templates or
passed through `render_markdown` / `clean_html` before it is marked safe.
`fold` gives the accent-, case- and punctuation-insensitive form that search
and duplicate detection compare.
"""

import html
import re
import unicodedata

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "code",
    "pre",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NON_WORD = re.compile(r"[^0-9a-z]+")
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)


def strip_control(text: str) -> str:
    """Drop NUL, control characters and Unicode direction marks."""
    return _CONTROL.sub("", text or "")


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form of a text.

    "L’Œuvre-Commune" and "l oeuvre commune" fold to the same string.
    """
    text = strip_control(text).translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", without_marks.lower()).strip()


def clean_html(value: str) -> str:
    """Sanitise HTML from people or imports to a small safe subset."""
    return nh3.clean(
        strip_control(value),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener ugc",
    )


def render_markdown(text: str) -> str:
    """Markdown (raw HTML disabled) rendered and sanitised."""
    return clean_html(_markdown.render(strip_control(text or "")))


_BLOCK_TAGS = re.compile(r"(?i)<\s*(br|/p|/div|/li|/h\d)\s*/?\s*>")
_TAGS = re.compile(r"<[^>]*>")


def html_to_text(value: str) -> str:
    """Plain text from an HTML fragment: blocks become line breaks."""
    value = strip_control(value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = _BLOCK_TAGS.sub("\n", value)
    value = nh3.clean(value, tags=set())
    value = html.unescape(_TAGS.sub("", value))
    value = value.replace("\xa0", " ")
    lines = [line.strip() for line in value.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
