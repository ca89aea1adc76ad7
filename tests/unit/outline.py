"""The structure of an HTML page as text, for golden files and for tests that look inside.

One line per element (its tag, and the attributes that carry meaning: id, class, role,
aria-label, scope, colspan) and per run of text, indented by depth. Left out: the stylesheet,
SVG geometry and whitespace, which change with a tweak or a library version while what the
reader sees stays the same.
"""

from __future__ import annotations

from html.parser import HTMLParser

KEPT = ("id", "class", "role", "aria-label", "scope", "colspan", "lang", "charset")
VOID = {"meta", "link", "br", "img", "input", "hr", "col", "source", "wbr"}
SVG_LEAVES = {"rect", "line", "circle", "path", "polygon", "polyline", "stop", "pattern"}


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.depth = 0
        self.skipping: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            return
        if tag in ("style", "footer"):
            self.skipping = tag
            return
        kept = " ".join(f'{name}="{value}"' for name, value in attrs if name in KEPT)
        self.lines.append("  " * self.depth + (f"<{tag} {kept}>" if kept else f"<{tag}>"))
        if tag not in VOID and tag not in SVG_LEAVES:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and tag not in SVG_LEAVES and not self.skipping:
            self.depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping:
                self.skipping = None
            return
        if tag not in VOID and tag not in SVG_LEAVES:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self.skipping:
            self.lines.append("  " * self.depth + repr(text))


def html_outline(page: str) -> str:
    parser = _Outline()
    parser.feed(page)
    parser.close()
    return "\n".join(parser.lines) + "\n"
