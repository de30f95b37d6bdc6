"""A ClickHouse HTTP endpoint for tests, backed by the chdb engine. Test infrastructure only.

It speaks the part of ClickHouse's HTTP interface that @clickhouse/client uses. The query
comes in the `query` URL parameter, the POST body or both, and INSERT data follows the
query. `database`, `default_format`, `query_id`, `session_id` and settings are URL
parameters, and `GET /ping` returns `Ok.`. Errors are `Code: N. DB::Exception: ...` texts with
the server's HTTP status and the `X-ClickHouse-Exception-Code` header. Credentials are
accepted and not checked.

Usage: server.py --port 18124 --data-path DIR [--host 127.0.0.1]
"""

import argparse
import gzip
import json
import signal
import socket
import sys
import threading
import time
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import sql_text
from engine import Engine, EngineError

# URL parameters that the HTTP layer consumes. Every other parameter is a setting.
HTTP_PARAMETERS = {
    "query", "database", "default_format", "query_id", "session_id", "session_timeout",
    "session_check", "user", "password", "quota_key", "buffer_size", "wait_end_of_query",
    "http_wait_end_of_query", "compress", "decompress", "enable_http_compression",
    "http_zlib_compression_level", "send_progress_in_http_headers",
    "http_headers_progress_interval_ms", "cancel_http_readonly_queries_on_client_close",
    "readonly", "role", "stacktrace",
}

# HTTP status of an exception, by its name, as ClickHouse's HTTP handler maps them
# (src/Server/HTTP/exceptionCodeToHTTPStatus.cpp, 25.x). Any other name is a 500.
STATUS_BY_ERROR = {
    "REQUIRED_PASSWORD": 401,
    **dict.fromkeys(
        ["UNKNOWN_USER", "WRONG_PASSWORD", "AUTHENTICATION_FAILED", "SET_NON_GRANTED_ROLE",
         "ACCESS_DENIED"], 403),
    **dict.fromkeys(
        ["BAD_ARGUMENTS", "CANNOT_COMPILE_REGEXP", "CANNOT_PARSE_TEXT",
         "CANNOT_PARSE_ESCAPE_SEQUENCE", "CANNOT_PARSE_QUOTED_STRING", "CANNOT_PARSE_DATE",
         "CANNOT_PARSE_DATETIME", "CANNOT_PARSE_NUMBER", "CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING",
         "CANNOT_PARSE_IPV4", "CANNOT_PARSE_IPV6", "CANNOT_PARSE_INPUT_ASSERTION_FAILED",
         "CANNOT_PARSE_UUID", "DUPLICATE_COLUMN", "ILLEGAL_COLUMN", "UNKNOWN_ELEMENT_IN_AST",
         "UNKNOWN_TYPE_OF_AST_NODE", "THERE_IS_NO_COLUMN", "TOO_DEEP_AST", "TOO_BIG_AST",
         "UNEXPECTED_AST_STRUCTURE", "SYNTAX_ERROR", "INCORRECT_DATA", "TYPE_MISMATCH",
         "VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE"], 400),
    **dict.fromkeys(
        ["UNKNOWN_TABLE", "UNKNOWN_FUNCTION", "UNKNOWN_IDENTIFIER", "UNKNOWN_TYPE",
         "UNKNOWN_STORAGE", "UNKNOWN_DATABASE", "UNKNOWN_SETTING",
         "UNKNOWN_DIRECTION_OF_SORTING", "UNKNOWN_AGGREGATE_FUNCTION", "UNKNOWN_FORMAT",
         "UNKNOWN_DATABASE_ENGINE", "UNKNOWN_TYPE_OF_QUERY", "UNKNOWN_ROLE"], 404),
    "QUERY_IS_TOO_LARGE": 413,
    "NOT_IMPLEMENTED": 501,
    "SOCKET_TIMEOUT": 503,
    "CANNOT_OPEN_FILE": 503,
    "CANNOT_SCHEDULE_TASK": 503,
    "HTTP_LENGTH_REQUIRED": 411,
    "TIMEOUT_EXCEEDED": 408,
    "UNSUPPORTED_MEDIA_TYPE": 415,
}

# Content-Type of a result by the start of its format name. The default is text/plain.
CONTENT_TYPES = [
    ("JSON", "application/json; charset=UTF-8"),
    ("TabSeparated", "text/tab-separated-values; charset=UTF-8"),
    ("TSV", "text/tab-separated-values; charset=UTF-8"),
    ("CSV", "text/csv; charset=UTF-8; header=absent"),
    ("RowBinary", "application/octet-stream"),
    ("Native", "application/octet-stream"),
    ("Parquet", "application/octet-stream"),
    ("Arrow", "application/octet-stream"),
]

DEFAULT_SESSION_TIMEOUT_S = 60


def error(code: int, name: str, message: str) -> EngineError:
    return EngineError(code, name, f"Code: {code}. DB::Exception: {message}. ({name})")


def content_type_of(fmt: str) -> str:
    for prefix, content_type in CONTENT_TYPES:
        if fmt.startswith(prefix):
            return content_type
    return "text/plain; charset=UTF-8"


class Sessions:
    """Settings of HTTP sessions by session_id, dropped after their timeout of inactivity.

    NOTE: only settings are per session. Temporary tables live in the one chdb session that
    every request shares, and concurrent requests of a session wait for each other instead
    of failing with SESSION_IS_LOCKED as on a server.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._sessions = {}

    def settings(self, session_id: str, timeout_s: int, must_exist: bool) -> dict:
        now = time.monotonic()
        with self._lock:
            expired = [key for key, (_, used, limit) in self._sessions.items() if now - used > limit]
            for key in expired:
                del self._sessions[key]
            if session_id not in self._sessions:
                if must_exist:
                    raise error(372, "SESSION_NOT_FOUND", f"Session {session_id} not found")
                self._sessions[session_id] = ({}, now, timeout_s)
            settings, _, _ = self._sessions[session_id]
            self._sessions[session_id] = (settings, now, timeout_s)
            return settings


def unquote_setting(value: str) -> str:
    """Return the text of a SET value: a quoted string loses its quotes and escapes."""
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("\\'", "'").replace("\\\\", "\\")
    return value


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ClickHouse-chdb-test-server"
    keep_alive_s: int

    def log_message(self, format, *args):  # noqa: A002 (the base class names it format)
        sys.stderr.write("%s %s\n" % (self.log_date_time_string(), format % args))
        sys.stderr.flush()

    def log_request(self, code="-", size="-"):
        """Log nothing per request: `execute` logs each query with its id and outcome."""

    # Request parsing

    def read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailer fields
                    break
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            body = b"".join(parts)
        else:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = self.headers.get("Content-Encoding", "").lower()
        if encoding == "gzip":
            return gzip.decompress(body)
        if encoding == "deflate":
            return zlib.decompress(body)
        if encoding not in ("", "identity"):
            raise error(415, "UNSUPPORTED_MEDIA_TYPE", f"Unknown Content-Encoding {encoding}")
        return body

    # Responses

    def send(self, status: int, body: bytes, headers: dict) -> None:
        accept = self.headers.get("Accept-Encoding", "")
        if headers.pop("compress", False) and body:
            if "gzip" in accept:
                body, headers["Content-Encoding"] = gzip.compress(body), "gzip"
            elif "deflate" in accept:
                body, headers["Content-Encoding"] = zlib.compress(body), "deflate"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Keep-Alive", f"timeout={self.keep_alive_s}")
        self.end_headers()
        self.wfile.write(body)

    def send_error_text(self, failure: EngineError, query_id: str) -> None:
        text = failure.text
        if "(version " not in text:
            text = f"{text} (version {self.server.engine.version})"
        self.log_message("query_id=%s failed: %s", query_id, text)
        self.send(
            STATUS_BY_ERROR.get(failure.name, 500),
            (text + "\n").encode("utf-8", "replace"),
            {
                "Content-Type": "text/plain; charset=UTF-8",
                "X-ClickHouse-Exception-Code": str(failure.code),
                "X-ClickHouse-Query-Id": query_id,
            },
        )

    # Methods

    def do_GET(self):
        url = urlsplit(self.path)
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        if url.path in ("/ping", "/") and "query" not in params:
            self.send(200, b"Ok.\n", {"Content-Type": "text/html; charset=UTF-8"})
            return
        if url.path != "/":
            self.send(404, f"There is no handle {url.path}\n".encode(), {"Content-Type": "text/plain; charset=UTF-8"})
            return
        # A GET request may only read: ClickHouse runs it with readonly=2 at least.
        if params.get("readonly") not in ("1", "2"):
            params["readonly"] = "2"
        self.execute(params, b"")

    def do_POST(self):
        url = urlsplit(self.path)
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        if url.path != "/":
            self.read_body()
            self.send(404, f"There is no handle {url.path}\n".encode(), {"Content-Type": "text/plain; charset=UTF-8"})
            return
        query_id = params.get("query_id") or str(uuid.uuid4())
        try:
            body = self.read_body()
        except EngineError as failure:
            self.send_error_text(failure, query_id)
            return
        self.execute(params, body)

    # Query execution

    def execute(self, params: dict, body: bytes) -> None:
        query_id = params.get("query_id") or str(uuid.uuid4())
        started = time.monotonic()
        try:
            status, response, headers = self.run_statement(params, body)
        except EngineError as failure:
            self.send_error_text(failure, query_id)
            return
        headers["X-ClickHouse-Query-Id"] = query_id
        headers["X-ClickHouse-Timezone"] = self.server.timezone
        headers["compress"] = params.get("enable_http_compression") == "1"
        self.send(status, response, headers)
        self.log_message("query_id=%s ok in %.1f ms", query_id, (time.monotonic() - started) * 1000)

    def run_statement(self, params: dict, body: bytes):
        query = params.get("query", "").encode("utf-8")
        text = query + b"\n" + body if query and body else query or body
        keyword = sql_text.first_keyword(text)
        if keyword == "":
            raise error(62, "SYNTAX_ERROR", "Empty query")
        if sql_text.has_second_statement(text):
            raise error(62, "SYNTAX_ERROR", "Multi-statements are not allowed")

        settings = {name: value for name, value in params.items() if name not in HTTP_PARAMETERS}
        session_settings = None
        if params.get("session_id"):
            session_settings = self.server.sessions.settings(
                params["session_id"],
                int(params.get("session_timeout") or DEFAULT_SESSION_TIMEOUT_S),
                params.get("session_check") == "1",
            )
            settings = {**session_settings, **settings}
        self.check_readonly(params.get("readonly", "0"), keyword, settings)

        fmt = params.get("default_format") or "TabSeparated"
        is_read = keyword in sql_text.READ_KEYWORDS
        if is_read:
            fmt = sql_text.output_format(text) or fmt
        # A SET statement runs like any other, and its settings are reset after it. In a
        # session, they are kept for the session's later requests once the engine took them.
        assignments = []
        if keyword == "SET":
            assignments = sql_text.split_set_assignments(text)
            if assignments is None:
                raise error(62, "SYNTAX_ERROR", "Cannot parse the SET statement")

        database = params.get("database") or "default"
        resets = [name for name, _ in assignments]
        result = self.server.engine.run(text, fmt, database, settings, resets)
        if session_settings is not None:
            session_settings.update({name: unquote_setting(value) for name, value in assignments})
        summary = {
            "read_rows": str(result.rows_read if keyword != "INSERT" else 0),
            "read_bytes": str(result.bytes_read if keyword != "INSERT" else 0),
            # NOTE: chdb reports rows read, not rows written. An INSERT's input rows stand in.
            "written_rows": str(result.rows_read if keyword == "INSERT" else 0),
            "written_bytes": str(result.bytes_read if keyword == "INSERT" else 0),
            "total_rows_to_read": "0",
            "result_rows": "0",
            "result_bytes": "0",
            "elapsed_ns": str(int(result.elapsed_s * 1e9)),
        }
        headers = {
            "Content-Type": content_type_of(fmt) if is_read else "text/plain; charset=UTF-8",
            "X-ClickHouse-Summary": json.dumps(summary, separators=(",", ":")),
        }
        if is_read:
            headers["X-ClickHouse-Format"] = fmt
        return 200, result.body, headers

    @staticmethod
    def check_readonly(readonly: str, keyword: str, settings: dict) -> None:
        """Reject what ClickHouse rejects under readonly=1 (no writes, no settings) or 2."""
        if readonly not in ("1", "2"):
            return
        if keyword not in sql_text.READ_KEYWORDS and not (keyword == "SET" and readonly == "2"):
            raise error(164, "READONLY", "Cannot execute query in readonly mode")
        if readonly == "1" and settings:
            name = next(iter(settings))
            raise error(164, "READONLY", f"Cannot modify '{name}' setting in readonly mode")


class Server(ThreadingHTTPServer):
    daemon_threads = True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on")
    parser.add_argument("--port", type=int, default=18124)
    parser.add_argument("--data-path", required=True, help="folder of the chdb databases")
    parser.add_argument("--keep-alive-timeout", type=int, default=10, help="idle seconds before a connection closes")
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        parser.error(f"--host must be a loopback address (127.0.0.1 or ::1), got {args.host}")

    engine = Engine(args.data_path)
    Handler.keep_alive_s = args.keep_alive_timeout
    Handler.timeout = args.keep_alive_timeout
    if ":" in args.host:
        Server.address_family = socket.AF_INET6
    server = Server((args.host, args.port), Handler)
    server.engine = engine
    server.sessions = Sessions()
    server.timezone = engine.run(b"SELECT timezone()", "TabSeparated", "default", {}, []).body.decode().strip()

    def stop(signum, _frame):
        sys.stderr.write(f"received signal {signum}; stopping\n")
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sys.stderr.write(
        f"listening on http://{args.host}:{args.port}; ClickHouse {engine.version} (chdb {engine.chdb_version}), data in {args.data_path}\n"
    )
    sys.stderr.flush()
    server.serve_forever()
    server.server_close()
    engine.close()
    sys.stderr.write("stopped\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
