"""Plain text of an HTML-only reply, keeping the line structure the questionnaire relies on."""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table"}
_SKIP = {"style", "script", "head", "title"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.quote = 0

    def _newline(self) -> None:
        self.parts.append("\n" + "> " * self.quote)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag == "blockquote":
            self.quote += 1
            self._newline()
        elif tag in _BLOCKS:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
            self._newline()
        elif tag in _BLOCKS and tag != "br":
            self._newline()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data.replace("\r", "").replace("\n", " ").replace("\xa0", " "))


def html_to_text(html: str) -> str:
    """Block elements become line breaks and ``<blockquote>`` becomes ``> ``, as a mail client quotes."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [line.rstrip() for line in "".join(parser.parts).split("\n")]
    out: list[str] = []
    for line in lines:
        if line.strip(" >") or (out and out[-1].strip(" >")):
            out.append(line)
    return "\n".join(out).strip("\n") + "\n"
