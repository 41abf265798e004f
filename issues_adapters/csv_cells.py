"""What every CSV we hand out does with a text cell, so a spreadsheet never runs one."""


def safe(text: str | None) -> str:
    """A cell a spreadsheet would run as a formula is written as text. Every text cell goes
    through here: people type names and descriptions, and a username or a category's slug may
    start with "-", "+" or "@" too. Numbers are not text: write them as they are."""
    if text is None:
        return ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
