"""Run statements on one persistent chdb session, one at a time.

chdb embeds the ClickHouse engine in the Python process. A session keeps its databases on
disk under the given path and keeps `USE` and `SET` state between calls, so every request
sets its own database and settings first and restores the defaults afterwards.
"""

import re
import threading
from dataclasses import dataclass

import chdb
from chdb import session as chdb_session

_ERROR = re.compile(r"Code: (\d+)\. DB::Exception: ")
_ERROR_NAME = re.compile(r"\(([A-Z][A-Z0-9_]{2,})\)")
_SETTING_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# Defaults of the embedded engine that differ from a server's. implicit_select lets
# clickhouse-local run `1 + 1` without SELECT, which a server rejects as a syntax error.
_SERVER_DEFAULTS = ["SET implicit_select = 0"]


class EngineError(Exception):
    """A ClickHouse exception: its numeric code, its name (UNKNOWN_TABLE) and its text."""

    def __init__(self, code: int, name: str, text: str):
        super().__init__(text)
        self.code = code
        self.name = name
        self.text = text


@dataclass
class Result:
    """The output bytes of one statement and the counters chdb reports for it."""

    body: bytes
    rows_read: int
    bytes_read: int
    elapsed_s: float


def quote_literal(value: str) -> str:
    """Quote a setting value as a ClickHouse string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def to_engine_error(error: Exception) -> EngineError:
    """Turn what chdb raises into an EngineError, using the innermost code and name."""
    text = str(error).strip()
    codes = _ERROR.findall(text)
    names = _ERROR_NAME.findall(text)
    if not codes:
        return EngineError(1001, "STD_EXCEPTION", f"Code: 1001. DB::Exception: {text}. (STD_EXCEPTION)")
    return EngineError(int(codes[-1]), names[-1] if names else "UNKNOWN_EXCEPTION", text)


class Engine:
    """One chdb session with its data under `path`. `run` serializes every call with a lock."""

    def __init__(self, path: str):
        self._session = chdb_session.Session(path)
        self._lock = threading.Lock()
        for statement in _SERVER_DEFAULTS:
            self._session.query(statement)
        self.version = self._session.query("SELECT version()", "TabSeparated").bytes().decode().strip()
        self.chdb_version = chdb.__version__

    def _query(self, sql, fmt="TabSeparated"):
        try:
            return self._session.query(sql, fmt)
        except Exception as error:  # chdb raises RuntimeError with the server's text
            raise to_engine_error(error) from error

    def run(self, sql: bytes, fmt: str, database: str, settings: dict, resets: list) -> Result:
        """Run one statement in `database` with `settings`, then restore the session's state.

        Setting names are checked to be identifiers before they reach SQL. Values are sent
        as string literals, which ClickHouse converts to each setting's type. `resets` names
        settings that the statement itself sets (a SET statement) and that are reset after it.
        """
        for name in [*settings, *resets]:
            if _SETTING_NAME.fullmatch(name) is None:
                raise EngineError(
                    115,
                    "UNKNOWN_SETTING",
                    f"Code: 115. DB::Exception: Unknown setting '{name}'. (UNKNOWN_SETTING)",
                )
        with self._lock:
            applied = list(resets)
            try:
                self._query(f"USE `{database.replace('`', '``')}`")
                for name, value in settings.items():
                    self._query(f"SET {name} = {quote_literal(value)}")
                    applied.append(name)
                result = self._query(sql, fmt)
                return Result(result.bytes(), result.rows_read(), result.bytes_read(), result.elapsed())
            finally:
                self._restore(applied)

    def _restore(self, names: list) -> None:
        """Reset settings to their defaults and the current database to `default`."""
        for name in names:
            # NOTE: a query parameter (param_x) cannot be unset, so it stays visible to
            # later requests, where a server would raise UNKNOWN_QUERY_PARAMETER.
            if name.startswith("param_"):
                continue
            try:
                self._query(f"SET {name} = DEFAULT")
            except EngineError:
                pass  # the name was rejected when it was set, so nothing is to reset
        self._query("USE default")

    def close(self) -> None:
        """Close the chdb session, which flushes its tables to disk."""
        with self._lock:
            self._session.close()
