#!/usr/bin/env bash
# Installs and runs moto's server mode, a local stand-in for the AWS APIs (S3, SQS, SNS,
# CloudTrail), on 127.0.0.1 for the AWS ingest integration tests. No AWS account is used:
# clients point at http://127.0.0.1:<port> with the dummy credentials testing/testing.
#
#   bash deploy/local/moto.sh install   # create a venv and pip install 'moto[server]==5.*'
#   bash deploy/local/moto.sh start     # start moto_server in the background, wait until it responds
#   bash deploy/local/moto.sh status    # exit 0 when running and responding
#   bash deploy/local/moto.sh stop      # SIGTERM by pid, SIGKILL after a deadline
#
# Every subcommand is safe to run again. State lives under .var/moto/ (ignored by git):
# venv/ (Python packages), moto.log and moto.pid. The process is only ever found and stopped
# by the pid in moto.pid. moto keeps its state in memory, so a restart starts empty.
#
# Environment (all optional):
#   CIEM_LOCAL_MOTO_PORT             port moto_server listens on (default 5000)
#   CIEM_LOCAL_MOTO_VERSION          pip requirement of moto (default "5.*")
#   CIEM_LOCAL_MOTO_PYTHON           Python 3.9+ interpreter used to create the venv (default python3)
#   CIEM_LOCAL_MOTO_START_TIMEOUT_S  seconds to wait for the server to respond (default 60)
#   CIEM_LOCAL_MOTO_STOP_TIMEOUT_S   seconds between SIGTERM and SIGKILL (default 15)
set -euo pipefail

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"

readonly HOST="127.0.0.1"
readonly PORT="${CIEM_LOCAL_MOTO_PORT:-5000}"
readonly MOTO_VERSION="${CIEM_LOCAL_MOTO_VERSION:-5.*}"
readonly PYTHON="${CIEM_LOCAL_MOTO_PYTHON:-python3}"
readonly START_TIMEOUT_S="${CIEM_LOCAL_MOTO_START_TIMEOUT_S:-60}"
readonly STOP_TIMEOUT_S="${CIEM_LOCAL_MOTO_STOP_TIMEOUT_S:-15}"

readonly VAR_DIR="${REPO_ROOT}/.var/moto"
readonly VENV_DIR="${VAR_DIR}/venv"
readonly VERSION_MARKER="${VENV_DIR}/.installed-requirement"
readonly PID_FILE="${VAR_DIR}/moto.pid"
readonly LOG_FILE="${VAR_DIR}/moto.log"

log() { printf 'moto.sh: %s\n' "$*"; }
fail() {
  printf 'moto.sh: error: %s\n' "$*" >&2
  exit 1
}

if ! [[ "${PORT}" =~ ^[0-9]+$ ]] || ((PORT < 1 || PORT > 65535)); then
  fail "CIEM_LOCAL_MOTO_PORT must be a TCP port number from 1 to 65535, got '${PORT}'"
fi

# True when moto serves its dashboard page on 127.0.0.1:$PORT. The page is static; the
# dashboard's data.json dumps every stored resource, grows slow with the state and
# returns 500 once some resources are stored (seen with moto 5.2), so it is no health probe.
server_answers() {
  "${VENV_DIR}/bin/python" - "${HOST}" "${PORT}" <<'PY' >/dev/null 2>&1
import sys, urllib.request
host, port = sys.argv[1], sys.argv[2]
with urllib.request.urlopen(f"http://{host}:{port}/moto-api/", timeout=5) as response:
    sys.exit(0 if response.status == 200 else 1)
PY
}

# True when something accepts TCP connections on 127.0.0.1:$PORT.
port_taken() {
  timeout 2 bash -c "exec 3<>/dev/tcp/${HOST}/${PORT}" 2>/dev/null
}

# Prints the pid from the pid file when that process is alive and is our moto_server. The
# command line check guards against a stale pid file whose pid was reused by another process.
running_pid() {
  [[ -f "${PID_FILE}" ]] || return 1
  local pid
  pid="$(cat "${PID_FILE}")"
  [[ "${pid}" =~ ^[0-9]+$ ]] || return 1
  kill -0 "${pid}" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null | grep -q "moto_server" || return 1
  printf '%s\n' "${pid}"
}

cmd_install() {
  command -v "${PYTHON}" >/dev/null 2>&1 || fail "'${PYTHON}' not found on PATH; install Python 3.9 or newer, or set CIEM_LOCAL_MOTO_PYTHON"
  if [[ -f "${VERSION_MARKER}" && "$(cat "${VERSION_MARKER}")" == "${MOTO_VERSION}" ]]; then
    log "moto ${MOTO_VERSION} already installed in ${VENV_DIR}"
    return 0
  fi
  mkdir -p "${VAR_DIR}"
  log "creating ${VENV_DIR} and installing moto[server]==${MOTO_VERSION} from PyPI"
  rm -rf "${VENV_DIR}"
  if ! "${PYTHON}" -m venv "${VENV_DIR}" >"${VAR_DIR}/install.log" 2>&1; then
    cat "${VAR_DIR}/install.log" >&2
    fail "creating the venv failed (output above); on Debian install the python3-venv package"
  fi
  if ! "${VENV_DIR}/bin/pip" install --disable-pip-version-check -q "moto[server]==${MOTO_VERSION}" \
    >>"${VAR_DIR}/install.log" 2>&1; then
    tail -n 30 "${VAR_DIR}/install.log" >&2 || true
    rm -rf "${VENV_DIR}"
    fail "pip install of moto[server]==${MOTO_VERSION} failed (full output in ${VAR_DIR}/install.log); check that PyPI is reachable, then run install again"
  fi
  printf '%s\n' "${MOTO_VERSION}" >"${VERSION_MARKER}"
  log "installed $("${VENV_DIR}/bin/pip" show moto 2>/dev/null | grep '^Version' || echo 'moto')"
}

wait_until_ready() {
  local pid="$1"
  local deadline=$((SECONDS + START_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    if ! kill -0 "${pid}" 2>/dev/null; then
      tail -n 40 "${LOG_FILE}" >&2 2>/dev/null || true
      rm -f "${PID_FILE}"
      fail "moto_server (pid ${pid}) exited during start; its log is ${LOG_FILE}"
    fi
    if server_answers; then
      return 0
    fi
    sleep 0.5
  done
  fail "moto_server (pid ${pid}) did not respond on ${HOST}:${PORT} within ${START_TIMEOUT_S} s; it is left running, see ${LOG_FILE} and run 'stop'"
}

cmd_start() {
  [[ -x "${VENV_DIR}/bin/moto_server" ]] || fail "moto is not installed in ${VENV_DIR}; run 'bash deploy/local/moto.sh install' first"
  local pid
  if pid="$(running_pid)"; then
    wait_until_ready "${pid}"
    log "already running (pid ${pid}) on http://${HOST}:${PORT}"
    return 0
  fi
  rm -f "${PID_FILE}"
  if port_taken; then
    fail "port ${PORT} on ${HOST} is already in use by another process; stop it or set CIEM_LOCAL_MOTO_PORT"
  fi

  mkdir -p "${VAR_DIR}"
  log "starting moto_server on http://${HOST}:${PORT}"
  nohup "${VENV_DIR}/bin/moto_server" -H "${HOST}" -p "${PORT}" >"${LOG_FILE}" 2>&1 </dev/null &
  pid=$!
  printf '%s\n' "${pid}" >"${PID_FILE}"
  wait_until_ready "${pid}"
  log "ready (pid ${pid}): endpoint http://${HOST}:${PORT}; log in ${LOG_FILE}"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    if [[ -f "${PID_FILE}" ]]; then
      rm -f "${PID_FILE}"
      log "not running (removed a stale pid file)"
    else
      log "not running"
    fi
    return 0
  fi
  log "stopping moto_server (pid ${pid}) with SIGTERM"
  kill -TERM "${pid}" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "${pid}" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "still running after ${STOP_TIMEOUT_S} s; sending SIGKILL to pid ${pid}"
      kill -KILL "${pid}" 2>/dev/null || true
      break
    fi
    sleep 0.5
  done
  rm -f "${PID_FILE}"
  log "stopped"
}

cmd_status() {
  local pid
  if pid="$(running_pid)" && server_answers; then
    log "running (pid ${pid}) on http://${HOST}:${PORT}"
    return 0
  fi
  log "not running"
  return 1
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *)
    printf 'usage: bash deploy/local/moto.sh install|start|stop|status\n' >&2
    exit 2
    ;;
esac
