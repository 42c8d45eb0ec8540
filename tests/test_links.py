"""Text from the model or from Intervals.icu never becomes a link or a loaded resource: every
form of link Markdown has, and every way Streamlit's renderer finds an address by itself
(bare, after an escape, after an entity), is shown as text. Checked here against a model of
the renderer (what text a paragraph ends up holding), and in the browser against the real one
(tests/test_links_browser.py)."""

from __future__ import annotations

import html
import re
import string

import pytest

from coach.ui.text import MARK_END, MARK_START, WORD_JOINER, marked, plain, safe_markdown

NASTY = [
    "[see here](http://elsewhere.example/?ftp=250&hrv=38)",     # the issue's own example
    "see http://elsewhere.example/a?x=1 now",
    "see http\\://elsewhere\\.example/b now",
    "see &#104;ttp://elsewhere.example/c now",
    "http&#58;//elsewhere.example/k",
    "see www\\.elsewhere.example/d and www.elsewhere.example/d2",
    "mail a@elsewhere.example", "mail a\\@elsewhere.example", "a&#64;elsewhere.example",
    "see <http://elsewhere.example/g> and <a@elsewhere.example>",
    "![img](http://elsewhere.example/i.png)", "![a [b] c](http://elsewhere.example/j.png)",
    "[ref link][r]\n\n[r]: http://elsewhere.example/ref", "![ref][r]\n\n[r]: http://e.example/x",
    "<a href='http://elsewhere.example/h'>x</a>", "[x](<http://elsewhere.example/l>)",
    "[x](http://elsewhere.example/l \"title\")", "HTTPS://ELSEWHERE.EXAMPLE/m",
    "ftp://elsewhere.example/n", "[nested [b] c](http://elsewhere.example/o)",
    "mailto:a@elsewhere.example", "[js](javascript:alert(1))", "[^1]\n\n[^1]: http://e.example",
    "`unclosed\n\nhttp://elsewhere.example/p\n\nb`", "http://elsewhere.example/q).",
    "\\`x http://elsewhere.example/s \\`", "a ` b http://elsewhere.example/t c",
]
# What GFM (and Streamlit's renderer, on the text of a paragraph after escapes and entities are
# read) turns into a link: mdast-util-gfm-autolink-literal's own patterns.
LINKED = re.compile(r"(?i)(https?://|www(?=\.))[-.\w]+|[-.\w+]+@[-\w]+(?:\.[-\w]+)+")
LINK_SYNTAX = re.compile(r"!?\[[^\]]*\]\s*[(\[:]|<[a-z][a-z0-9+.\-]*:|<[^>\s]+@")
CODE = re.compile(r"(?ms)^[ ]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ ]{0,3}\1[ \t]*$|\Z)"
                  r"|(?<!\\)(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\2(?!`)")


def rendered_text(markdown: str) -> str:
    """What the paragraphs of `markdown` hold once read, code left out: escapes resolved,
    entities decoded (but not an escaped `&`), as CommonMark reads inline text."""
    prose, out, i = CODE.sub(" ", markdown), [], 0
    while i < len(prose):
        if prose[i] == "\\" and i + 1 < len(prose) and prose[i + 1] in string.punctuation:
            out.append("\x00" if prose[i + 1] == "&" else prose[i + 1])  # a literal &
            i += 2
            continue
        out.append(prose[i])
        i += 1
    return html.unescape("".join(out)).replace("\x00", "&")


def unescaped_syntax(markdown: str) -> list[str]:
    """Link or image syntax still there, outside code, not escaped."""
    prose = re.sub(r"\\.", "", CODE.sub(" ", markdown))
    return LINK_SYNTAX.findall(prose)


def test_the_oracle_sees_the_links_that_escaping_alone_left():
    """The checks below can fail: the old way (images disabled, nothing else) fails them."""
    old = [text.replace("![", "!\\[") for text in NASTY]
    assert sum(bool(LINKED.search(rendered_text(t))) for t in old) >= 15
    assert sum(bool(unescaped_syntax(t)) for t in old) >= 8


@pytest.mark.parametrize("text", NASTY)
def test_no_link_survives_in_an_answer(text):
    out = safe_markdown(text)
    assert not LINKED.search(rendered_text(out)), out
    assert unescaped_syntax(out) == [], out


@pytest.mark.parametrize("text", NASTY)
def test_no_link_survives_in_a_label(text):
    out = plain(text)
    shown = rendered_text(out)
    assert not LINKED.search(shown), out
    assert unescaped_syntax(out) == [] and "\n" not in out
    assert shown.replace(WORD_JOINER, "") == " ".join(text.split())  # the same characters


def test_the_address_is_still_there_to_read_and_copy():
    out = safe_markdown("[see here](http://elsewhere.example/?ftp=250&hrv=38).")
    assert out == "see here (`http://elsewhere.example/?ftp=250&hrv=38`)."
    assert safe_markdown("Go to www.example.org, then ask.") == \
        "Go to `www.example.org`, then ask."
    assert safe_markdown("![chart](http://x.example/a.png)") == \
        "image: chart (`http://x.example/a.png`)"


def test_code_and_ordinary_markdown_are_left_alone():
    text = ("**Sweet spot** 3x12 at 88-92% _today_:\n\n```\n- 10m 60%\nsee http://x.example\n"
            "```\n\n- list item with `code [x](y)`")
    assert safe_markdown(text) == text


def test_marked_figures_are_highlighted_outside_code_and_dropped_inside():
    text = (f"You rode {MARK_START}312 km{MARK_END}: see "
            f"http://x.example/?w={MARK_START}250{MARK_END} and `{MARK_START}9{MARK_END}`")
    out = marked(text)
    assert out == "You rode :orange-background[312 km]: see `http://x.example/?w=250` and `9`"
    assert MARK_START not in safe_markdown(text) and "orange" not in safe_markdown(text)
