"""Text from the model, the athlete or a server, made safe to show as Markdown: nothing in it
becomes an image the browser fetches or a link the athlete could click to send data away. An
address is shown as text (in code style, so it can still be copied exactly)."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")
# Marks a missing figure in an answer (see `marked`): control characters no text carries.
MARK_START, MARK_END = "\x02", "\x03"
_HIGHLIGHT = (":orange-background[", "]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Code as CommonMark reads it: a fenced block (``` or ~~~, to its closing fence or the end) or
# a span between two equal runs of backticks. Inside, nothing is a link.
_CODE = re.compile(r"(?ms)^[ ]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ ]{0,3}\1[ \t]*$|\Z)"
                   r"|(?<![\\`])(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\2(?!`)")
# [label](address "title") and ![alt](address): the label may hold one level of brackets.
_INLINE_LINK = re.compile(r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
                          r"\(\s*<?([^\s()<>]*(?:\([^\s()<>]*\)[^\s()<>]*)*)>?"
                          r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
# What a Markdown renderer would turn into a link by itself: any scheme://, www., mailto:,
# an e-mail address. Streamlit's renderer links these even in text that came out of escapes
# or entities (`http\://…`, `&#104;ttp://…`), so escaping them is not enough.
_ADDRESS = re.compile(r"(?i)(?:[a-z][a-z0-9+.\-]*://|www\.|mailto:)[^\s<>`]*"
                      r"|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
# Where an address would start: an invisible word joiner there keeps it text in a label.
_ADDRESS_START = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)")
WORD_JOINER = "\u2060"
_TRAILING = ".,;:!?*_~'\")"


def safe_markdown(text: str) -> str:
    """Markdown in which no link, image or address is active: links and images become their
    text followed by the address as code; bare addresses become code; raw HTML and the
    remaining brackets are escaped. Code spans and blocks are left as they are."""
    return _markdown(_CONTROL.sub("", text))


def marked(text: str) -> str:
    """`safe_markdown` for a text with figures wrapped in MARK_START … MARK_END, which are
    highlighted (and dropped where they fell inside code or an address)."""
    return _markdown(_CONTROL.sub(lambda m: m.group() if m.group() in "\x02\x03" else "", text),
                     highlight=True)


def plain(text: str) -> str:
    """Text shown inside Markdown as literal characters, on one line, with any address in it
    kept from becoming a link (for labels and captions, where code style does not fit)."""
    text = _ADDRESS_START.sub(WORD_JOINER, " ".join(_CONTROL.sub("", text).split()))
    return _MD_SPECIAL.sub(r"\\\1", text)


def _markdown(text: str, highlight: bool = False) -> str:
    out, at = [], 0
    for code in _CODE.finditer(text):
        out.append(_prose(text[at:code.start()], highlight))
        out.append(_unmarked(code.group()))
        at = code.end()
    out.append(_prose(text[at:], highlight))
    return "".join(out)


def _prose(text: str, highlight: bool) -> str:
    out, at = [], 0
    for link in _INLINE_LINK.finditer(text):
        out.append(_words(text[at:link.start()], highlight))
        bang, label, address = link.groups()
        shown = f"image: {label}" if bang else label
        out.append(_words(shown, highlight) + (f" ({_code(address)})" if address else ""))
        at = link.end()
    out.append(_words(text[at:], highlight))
    return "".join(out)


def _words(text: str, highlight: bool) -> str:
    """Prose with every address as code and nothing left that Markdown could link."""
    out, at = [], 0
    for found in _ADDRESS.finditer(text):
        address = found.group()
        kept = len(address.rstrip(_TRAILING))
        out.append(_escaped(text[at:found.start()], highlight))
        out.append(_code(address[:kept]) + _escaped(address[kept:], highlight))
        at = found.end()
    out.append(_escaped(text[at:], highlight))
    return "".join(out)


def _escaped(text: str, highlight: bool) -> str:
    """Brackets (links, images), `<` (autolinks, HTML), `&` (entities), `\\` (escapes) and a
    backtick that opens no code span as literal characters."""
    text = re.sub(r"([\\\[\]<&`])", r"\\\1", text)
    if highlight:
        return text.replace(MARK_START, _HIGHLIGHT[0]).replace(MARK_END, _HIGHLIGHT[1])
    return _unmarked(text)


def _code(text: str) -> str:
    """`text` as an inline code span, whatever backticks it holds."""
    text = _unmarked(text)
    fence = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}" if text else ""


def _unmarked(text: str) -> str:
    return text.replace(MARK_START, "").replace(MARK_END, "")


def distinct_labels(items: list[tuple[int | str, str]]) -> dict[int | str, str]:
    """A label per id, none shown twice: a title used again gets " (2)", " (3)"… in the order
    given. Streamlit resolves a picked option by its label, so two equal labels would pick the
    first of them whichever the athlete chose."""
    labels: dict[int | str, str] = {}
    taken: set[str] = set()
    for key, label in items:
        shown, n = label, 1
        while shown in taken:
            n += 1
            shown = f"{label} ({n})"
        taken.add(shown)
        labels[key] = shown
    return labels
