"""Read the parts of a SQL text that the HTTP layer needs, without parsing SQL.

Before the test server hands a text to the engine, it needs the first keyword (for
read-only checks and SET statements) and the output format. It also rejects a second
statement after a semicolon, as ClickHouse's HTTP interface does. The scanner
skips quoted strings, quoted identifiers and comments, and stops at the data of an INSERT,
which may contain any bytes.
"""

import re

# Statements that only read. ClickHouse allows these when the setting readonly is 1 or 2.
READ_KEYWORDS = {"SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXISTS", "EXPLAIN"}

_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_FORMAT_AT_END = re.compile(rb"\bFORMAT\s+([A-Za-z][A-Za-z0-9_]*)\s*;?\s*$", re.IGNORECASE)


def _skip_quoted(text: bytes, start: int) -> int:
    """Return the index after the quoted token that starts at `start`."""
    quote = text[start]
    index = start + 1
    while index < len(text):
        byte = text[index]
        if byte == 0x5C:  # a backslash escapes the next byte
            index += 2
            continue
        if byte == quote:
            # A doubled quote stands for one quote inside the token.
            if index + 1 < len(text) and text[index + 1] == quote:
                index += 2
                continue
            return index + 1
        index += 1
    return len(text)


def tokens(text: bytes):
    """Yield (kind, value) pairs: kind is 'word', 'semicolon' or 'other'.

    Whitespace, comments and quoted tokens are skipped (quoted tokens yield 'other'). After
    `INSERT ... FORMAT name` or `INSERT ... VALUES` the rest is data, so scanning stops.
    """
    index = 0
    words_seen = []
    while index < len(text):
        byte = text[index]
        if byte in b" \t\r\n\f\v":
            index += 1
        elif text.startswith(b"--", index):
            end = text.find(b"\n", index)
            index = len(text) if end < 0 else end + 1
        elif text.startswith(b"/*", index):
            end = text.find(b"*/", index + 2)
            index = len(text) if end < 0 else end + 2
        elif byte in b"'\"`":
            index = _skip_quoted(text, index)
            yield ("other", b"")
        elif byte == 0x3B:
            index += 1
            yield ("semicolon", b";")
        else:
            match = _WORD.match(text, index)
            if match is None:
                index += 1
                yield ("other", b"")
                continue
            word = match.group(0).upper()
            index = match.end()
            yield ("word", word)
            words_seen.append(word)
            if words_seen[0] == b"INSERT":
                if word == b"VALUES":
                    return
                if len(words_seen) >= 2 and words_seen[-2] == b"FORMAT":
                    return


def first_keyword(text: bytes) -> str:
    """Return the first word of the statement in upper case, or '' for an empty text."""
    for kind, value in tokens(text):
        if kind == "word":
            return value.decode("ascii")
        if kind == "other":
            # A leading parenthesis, as in `(SELECT 1) UNION ALL ...`, is skipped.
            continue
    return ""


def has_second_statement(text: bytes) -> bool:
    """Return True when anything but comments follows a top-level semicolon."""
    after_semicolon = False
    for kind, _ in tokens(text):
        if kind == "semicolon":
            after_semicolon = True
        elif after_semicolon:
            return True
    return False


def output_format(text: bytes):
    """Return the name in a trailing `FORMAT name` clause of a reading statement, or None."""
    match = _FORMAT_AT_END.search(text)
    return None if match is None else match.group(1).decode("ascii")


def split_set_assignments(text: bytes):
    """Return the (name, value text) pairs of `SET a = 1, b = 'x'`, or None if malformed."""
    body = text.strip().rstrip(b";").strip()
    if not body[:3].upper() == b"SET":
        return None
    body = body[3:]
    parts, depth, start, index = [], 0, 0, 0
    while index < len(body):
        byte = body[index]
        if byte in b"'\"`":
            index = _skip_quoted(body, index)
            continue
        if byte in b"([":
            depth += 1
        elif byte in b")]":
            depth -= 1
        elif byte == 0x2C and depth == 0:
            parts.append(body[start:index])
            start = index + 1
        index += 1
    parts.append(body[start:])
    assignments = []
    for part in parts:
        name, equals, value = part.partition(b"=")
        name = name.strip()
        if not equals or _WORD.fullmatch(name) is None:
            return None
        assignments.append((name.decode("ascii"), value.strip().decode("utf-8", "replace")))
    return assignments
