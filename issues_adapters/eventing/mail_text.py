"""A mail's text as a person reads it: decoded as mail clients mean it, HTML laid out as lines,
without the control characters no person types (the domain refuses them), and, for what they
wrote themselves, without the quoted mail and signature below it.

Outlook writes windows-1252 and labels it iso-8859-1 (or nothing, which means us-ascii), so those
labels are read as windows-1252, as browsers do (the WHATWG Encoding Standard).
"""

import codecs
import re
from email.message import EmailMessage
from html.parser import HTMLParser

_READ_AS_WINDOWS_1252 = {"ascii", "iso8859-1", "cp1252"}
# Every C0 and C1 control but tab and newline (carriage returns are turned into newlines first).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Where the quoted mail below an answer starts (Gmail, Apple Mail, Thunderbird; Outlook).
_QUOTE_HEADERS = (
    re.compile(r"^On .+ wrote:$"),
    re.compile(r"^Am .+ schrieb .+:$"),
)
_ORIGINAL_MESSAGE = re.compile(
    r"^-{2,} ?(Original Message|Ursprüngliche Nachricht) ?-{2,}$", re.IGNORECASE
)
# Outlook's header block of the answered mail: From:/Von:, then at least two of Sent:, To: …
# right below it (a line of the sender's may well start with "From:").
_OUTLOOK_FROM = re.compile(r"^(From|Von):\s")
_OUTLOOK_FIELDS = {
    "Sent": "sent", "Gesendet": "sent", "Date": "sent", "Datum": "sent",
    "To": "to", "An": "to", "Subject": "subject", "Betreff": "subject", "Cc": "cc",
}  # fmt: skip
_OUTLOOK_FIELD = re.compile(rf"^({'|'.join(_OUTLOOK_FIELDS)}):\s")
_OUTLOOK_BLOCK_LINES = 5
# Outlook on the web draws this line above the header block.
_UNDERSCORES = re.compile(r"^_{10,}$")
# "-- " on its own line (RFC 3676). A bare "--" is as likely a line of the sender's own text,
# so it cuts nothing; HTML mail keeps its "-- " (see _HtmlReader.lines).
_SIGNATURE_SEPARATOR = "-- "


def part_text(part: EmailMessage) -> str:
    """A text part's content, decoded as its sender meant it."""
    data = part.get_payload(decode=True) or b""
    label = part.get_content_charset() or "us-ascii"
    try:
        encoding = codecs.lookup(label).name
    except LookupError:
        encoding = "utf-8" if _is_utf8(data) else "cp1252"
    if encoding in _READ_AS_WINDOWS_1252:
        encoding = "cp1252"
    return data.decode(encoding, errors="replace")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def header_text(value: str) -> str:
    """A decoded header on one line, C1 characters read as windows-1252 (their usual source)."""
    return " ".join(printable(_as_windows_1252(value)).split())


def _as_windows_1252(text: str) -> str:
    return re.sub(
        r"[\x80-\x9f]",
        lambda found: found.group().encode("latin-1").decode("cp1252", errors="ignore"),
        text,
    )


def printable(text: str) -> str:
    """Line breaks as \\n, and no control characters but tab and newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARACTERS.sub("", text)


def body_text(part: EmailMessage | None, *, whole: bool = False) -> str:
    """What the sender wrote in a text/plain or text/html body part; `whole` keeps the quoted
    mail and signature (a forward's point is the mail it forwards)."""
    if part is None:
        return ""
    text = part_text(part)
    if part.get_content_type() == "text/html":
        text = html_text(text)
    text = printable(text)
    # Trimmed to nothing, the reading was wrong: the sender's words matter more than a quote.
    html = part.get_content_type() == "text/html"
    return (not whole and own_words(text, html=html).strip()) or text.strip()


def own_words(text: str, *, html: bool = False) -> str:
    """The text above the quoted mail or the signature, without quoted lines (> …); each line
    is read stripped of surrounding spaces. HTML laid out as text (`html`) loses the blank
    line Outlook leaves above its header block."""
    lines = text.split("\n")
    kept = []
    for number, line in enumerate(lines):
        previous = kept[-1] if kept else ""
        if _starts_the_rest(lines, number, after_a_break=html or not previous.strip()):
            break
        if not line.startswith(">"):
            kept.append(line)
    return "\n".join(kept)


def _starts_the_rest(lines: list[str], number: int, after_a_break: bool) -> bool:
    line = lines[number].strip()
    following = lines[number + 1].strip() if number + 1 < len(lines) else ""
    if line == "--" and lines[number].lstrip().startswith(_SIGNATURE_SEPARATOR):
        return True
    if _UNDERSCORES.match(line):
        return _outlook_block(lines, _next_written(lines, number + 1))
    if _ORIGINAL_MESSAGE.match(line):
        return True
    # "On … wrote:" ends the sender's words only when the quote follows it, as mail clients
    # write it; the sender may well write such a line themselves. Gmail wraps a long one.
    for header in _QUOTE_HEADERS:
        if header.match(line):
            return _quote_follows(lines, number + 1)
        if following and header.match(f"{line} {following}"):
            return _quote_follows(lines, number + 2)
    return after_a_break and _outlook_block(lines, number)


def _outlook_block(lines: list[str], number: int) -> bool:
    """Whether a From:/Von: line starts here with at least two more header fields below it."""
    if number >= len(lines) or not _OUTLOOK_FROM.match(lines[number].strip()):
        return False
    below = lines[number + 1 : number + 1 + _OUTLOOK_BLOCK_LINES]
    fields = {_OUTLOOK_FIELD.match(line.strip()) for line in below} - {None}
    return len({_OUTLOOK_FIELDS[field.group(1)] for field in fields}) >= 2


def _next_written(lines: list[str], start: int) -> int:
    """The number of the first line from `start` on that is not blank."""
    return next((n for n in range(start, len(lines)) if lines[n].strip()), len(lines))


def _quote_follows(lines: list[str], start: int) -> bool:
    """Whether the first line from `start` on that is not blank is quoted (> …)."""
    number = _next_written(lines, start)
    return number < len(lines) and lines[number].strip().startswith(">")


def html_text(html: str) -> str:
    """An HTML body as lines of plain text, at most one blank line in a row."""
    reader = _HtmlReader()
    reader.feed(html)
    reader.close()
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(reader.lines()))
    return text.strip("\n")


_SPACE = " \t\n\r\f"
_SPACES = re.compile(r"[ \t\n\r\f]+")
_HIDDEN = {"head", "style", "script", "title", "template", "noscript"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip


class _HtmlReader(HTMLParser):
    """Collects text as a browser lays it out: blocks start new lines, spaces collapse."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self._lines: list[list] = [[0, False, ""]]  # [quote depth, preformatted, text] per line
        self._hidden = 0
        self._pre = 0
        self._quoted = 0
        self._lists: list[int | None] = []  # the next number of each open <ol>, None for <ul>
        self._links: list[str] = []

    def lines(self) -> list[str]:
        lines = []
        for depth, pre, text in self._lines:
            text = text.replace("\xa0", " ")
            line = ("> " * depth + (text.rstrip() if pre else text.strip())).rstrip()
            if line == "--" and text.lstrip().startswith(_SIGNATURE_SEPARATOR):
                line = _SIGNATURE_SEPARATOR  # its space is what makes it a separator
            lines.append(line)
        return lines

    def _new_line(self) -> None:
        self._lines.append([self._quoted, False, ""])

    def _line_start(self) -> None:
        if self._lines[-1][2].strip(_SPACE):
            self._new_line()
        else:
            self._lines[-1] = [self._quoted, False, ""]

    def _write(self, text: str) -> None:
        self._lines[-1][1] |= self._pre > 0
        self._lines[-1][2] += text

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self._hidden += 1
            return
        if tag == "br":
            self._new_line()
        elif tag == "hr":
            self._line_start()
            self._new_line()
        elif tag in _BLOCKS:
            if tag == "blockquote":
                self._line_start()
                self._quoted += 1
            self._line_start()
            self._pre += tag == "pre"
            if tag in ("ul", "ol"):
                self._lists.append(1 if tag == "ol" else None)
            elif tag == "li":
                self._write(self._bullet())
        elif tag in ("td", "th") and self._lines[-1][2].strip(_SPACE):
            self._write(" ")
        elif tag == "a":
            self._links.append(dict(attrs).get("href") or "")
        elif tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self.handle_data(f"[{alt}]")

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self._line_start()
            if tag == "blockquote":
                self._quoted = max(0, self._quoted - 1)
                self._line_start()
            elif tag == "pre":
                self._pre = max(0, self._pre - 1)
            elif tag in ("ul", "ol") and self._lists:
                self._lists.pop()
        elif tag == "a" and self._links:
            href = self._links.pop()
            if href.startswith(("http://", "https://")) and href not in self._lines[-1][2]:
                self._write(f" ({href})")

    def handle_data(self, data):
        if self._hidden:
            return
        if self._pre:
            first, *rest = data.split("\n")
            self._write(first)
            for line in rest:
                self._new_line()
                self._write(line)
            return
        # HTML's white space collapses; a no-break space (&nbsp;) is text that keeps a line.
        text = " ".join(_SPACES.split(data.strip(_SPACE)))
        if data[:1] in _SPACE:
            text = " " + text
        if data[-1:] in _SPACE and text.strip(_SPACE):
            text += " "
        line = self._lines[-1][2]
        if not line or line.endswith(" "):
            text = text.lstrip(_SPACE)
        self._write(text)

    def _bullet(self) -> str:
        if not self._lists or self._lists[-1] is None:
            return "- "
        number = self._lists[-1]
        self._lists[-1] += 1
        return f"{number}. "
