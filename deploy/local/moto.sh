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

readonly SCRIPT_LABEL="moto.sh"
# shellcheck source=deploy/local/lib/process.sh
source "${SCRIPT_DIR}/lib/process.sh"

require_port_number CIEM_LOCAL_MOTO_PORT "${PORT}"

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

# Prints moto_server's pid when the pid file names a live moto_server of this venv and port.
running_pid() {
  pid_from_file "${PID_FILE}" "${VENV_DIR}/bin/moto_server -H ${HOST} -p ${PORT}"
}

cmd_install() {
  command -v "${PYTHON}" >/dev/null 2>&1 || fail "'${PYTHON}' not found on PATH; install Python 3.9 or newer, or set CIEM_LOCAL_MOTO_PYTHON"
  if [[ -f "${VERSION_MARKER}" && "$(cat "${VERSION_MARKER}")" == "${MOTO_VERSION}" ]]; then
    log "moto ${MOTO_VERSION} already installed in ${VENV_DIR}"
    return 0
  fi
  mkdir -p "${VAR_DIR}"
  log "creating ${VENV_DIR} and installing moto[server]==${MOTO_VERSION} from PyPI"
  install_into_venv "${VENV_DIR}" "${PYTHON}" "moto[server]==${MOTO_VERSION}" "${VAR_DIR}/install.log"
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
  if port_answers "${PORT}"; then
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
  stop_server "${PID_FILE}" "moto_server" "${STOP_TIMEOUT_S}"
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

run_subcommand "$@"
