#!/usr/bin/env bash
# Installs and runs a modern ClickHouse engine for tests: chdb (ClickHouse embedded in a
# Python module) behind a small HTTP server (deploy/local/clickhouse-modern/server.py) that
# speaks the part of ClickHouse's HTTP interface that @clickhouse/client uses. It listens on
# 127.0.0.1 only. Test infrastructure: it does not check credentials, and it runs one query
# at a time.
#
#   bash deploy/local/clickhouse-modern.sh install   # create a venv and pip install chdb
#   bash deploy/local/clickhouse-modern.sh start     # start the server, wait until /ping returns Ok.
#   bash deploy/local/clickhouse-modern.sh status    # exit 0 when running and responding
#   bash deploy/local/clickhouse-modern.sh stop      # SIGTERM by pid, SIGKILL after a deadline
#
# Tests find it through CIEM_CLICKHOUSE_MODERN_URL=http://127.0.0.1:<port>.
#
# Every subcommand is safe to run again. State lives under .var/clickhouse-modern/ (ignored
# by git): venv/ (Python packages, about 1.2 GB), data/ (the databases), server.log and
# server.pid. The process is only ever found and stopped by the pid in server.pid.
#
# Environment (all optional):
#   CIEM_LOCAL_CLICKHOUSE_MODERN_PORT             HTTP port (default 18124)
#   CIEM_LOCAL_CLICKHOUSE_MODERN_CHDB_VERSION     pip version of chdb (default 3.7.2, ClickHouse 25.8.2.1)
#   CIEM_LOCAL_CLICKHOUSE_MODERN_PYTHON           Python 3.9+ interpreter for the venv (default python3)
#   CIEM_LOCAL_CLICKHOUSE_MODERN_START_TIMEOUT_S  seconds to wait for /ping after start (default 60)
#   CIEM_LOCAL_CLICKHOUSE_MODERN_STOP_TIMEOUT_S   seconds between SIGTERM and SIGKILL (default 15)
set -euo pipefail

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"
readonly SERVER_SCRIPT="${SCRIPT_DIR}/clickhouse-modern/server.py"

readonly HOST="127.0.0.1"
readonly PORT="${CIEM_LOCAL_CLICKHOUSE_MODERN_PORT:-18124}"
readonly CHDB_VERSION="${CIEM_LOCAL_CLICKHOUSE_MODERN_CHDB_VERSION:-3.7.2}"
readonly PYTHON="${CIEM_LOCAL_CLICKHOUSE_MODERN_PYTHON:-python3}"
readonly START_TIMEOUT_S="${CIEM_LOCAL_CLICKHOUSE_MODERN_START_TIMEOUT_S:-60}"
readonly STOP_TIMEOUT_S="${CIEM_LOCAL_CLICKHOUSE_MODERN_STOP_TIMEOUT_S:-15}"

readonly VAR_DIR="${REPO_ROOT}/.var/clickhouse-modern"
readonly VENV_DIR="${VAR_DIR}/venv"
readonly VERSION_MARKER="${VENV_DIR}/.installed-chdb"
readonly DATA_DIR="${VAR_DIR}/data"
readonly PID_FILE="${VAR_DIR}/server.pid"
readonly LOG_FILE="${VAR_DIR}/server.log"

readonly SCRIPT_LABEL="clickhouse-modern.sh"
# shellcheck source=deploy/local/lib/process.sh
source "${SCRIPT_DIR}/lib/process.sh"

require_port_number CIEM_LOCAL_CLICKHOUSE_MODERN_PORT "${PORT}"

# True when GET /ping on 127.0.0.1:$PORT returns "Ok.".
ping_ok() {
  "${VENV_DIR}/bin/python" - "${HOST}" "${PORT}" <<'PY' >/dev/null 2>&1
import sys, urllib.request
host, port = sys.argv[1], sys.argv[2]
with urllib.request.urlopen(f"http://{host}:{port}/ping", timeout=2) as response:
    sys.exit(0 if response.read().strip() == b"Ok." else 1)
PY
}

# Prints the server's pid when the pid file names a live server of this venv and port.
running_pid() {
  pid_from_file "${PID_FILE}" "${SERVER_SCRIPT} --port ${PORT} "
}

cmd_install() {
  command -v "${PYTHON}" >/dev/null 2>&1 || fail "'${PYTHON}' not found on PATH; install Python 3.9 or newer, or set CIEM_LOCAL_CLICKHOUSE_MODERN_PYTHON"
  if [[ -f "${VERSION_MARKER}" && "$(cat "${VERSION_MARKER}")" == "${CHDB_VERSION}" ]]; then
    log "chdb ${CHDB_VERSION} already installed in ${VENV_DIR}"
    return 0
  fi
  mkdir -p "${VAR_DIR}"
  log "creating ${VENV_DIR} and installing chdb==${CHDB_VERSION} from PyPI (a wheel of about 180 MB, plus pandas and pyarrow)"
  install_into_venv "${VENV_DIR}" "${PYTHON}" "chdb==${CHDB_VERSION}" "${VAR_DIR}/install.log"
  printf '%s\n' "${CHDB_VERSION}" >"${VERSION_MARKER}"
  log "installed chdb ${CHDB_VERSION}: ClickHouse $("${VENV_DIR}/bin/python" -c 'import chdb; print(chdb.engine_version)' 2>/dev/null || echo '(version unknown)')"
}

wait_until_ready() {
  local pid="$1"
  local deadline=$((SECONDS + START_TIMEOUT_S))
  until ping_ok; do
    if ! kill -0 "${pid}" 2>/dev/null; then
      tail -n 40 "${LOG_FILE}" >&2 2>/dev/null || true
      rm -f "${PID_FILE}"
      fail "the server (pid ${pid}) exited during start; its log is ${LOG_FILE}"
    fi
    if ((SECONDS >= deadline)); then
      fail "the server (pid ${pid}) did not return Ok. from /ping on ${HOST}:${PORT} within ${START_TIMEOUT_S} s; it is left running, see ${LOG_FILE} and run 'stop'"
    fi
    sleep 0.5
  done
}

cmd_start() {
  require_seconds CIEM_LOCAL_CLICKHOUSE_MODERN_START_TIMEOUT_S "${START_TIMEOUT_S}"
  [[ -x "${VENV_DIR}/bin/python" && -f "${VERSION_MARKER}" ]] || fail "chdb is not installed in ${VENV_DIR}; run 'bash deploy/local/clickhouse-modern.sh install' first"
  local pid
  if pid="$(running_pid)"; then
    wait_until_ready "${pid}"
    log "already running (pid ${pid}) on http://${HOST}:${PORT}"
    return 0
  fi
  rm -f "${PID_FILE}"
  if port_answers "${PORT}"; then
    fail "port ${PORT} on ${HOST} is already in use by another process; stop it or set CIEM_LOCAL_CLICKHOUSE_MODERN_PORT"
  fi

  mkdir -p "${DATA_DIR}"
  log "starting the chdb server on http://${HOST}:${PORT}"
  # The trailing --host keeps the "--port N " pattern of running_pid unambiguous.
  # -B keeps Python from writing __pycache__ folders into deploy/local/clickhouse-modern/.
  nohup "${VENV_DIR}/bin/python" -B "${SERVER_SCRIPT}" --port "${PORT}" --data-path "${DATA_DIR}" --host "${HOST}" \
    >>"${LOG_FILE}" 2>&1 </dev/null &
  pid=$!
  printf '%s\n' "${pid}" >"${PID_FILE}"
  wait_until_ready "${pid}"
  log "ready (pid ${pid}): http://${HOST}:${PORT}; log in ${LOG_FILE}"
}

cmd_stop() {
  require_seconds CIEM_LOCAL_CLICKHOUSE_MODERN_STOP_TIMEOUT_S "${STOP_TIMEOUT_S}"
  stop_server "${PID_FILE}" "the chdb server" "${STOP_TIMEOUT_S}"
}

# Exit status follows the LSB convention: 0 when running, 3 when not.
cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    if ping_ok; then
      log "running (pid ${pid}) on http://${HOST}:${PORT}"
    else
      log "process ${pid} is alive but /ping on port ${PORT} does not return Ok.; see ${LOG_FILE}"
    fi
    return 0
  fi
  log "not running"
  return 3
}

run_subcommand "$@"
