#!/usr/bin/env bash
# Builds and runs the Pub/Sub fake (deploy/local/pubsub-fake, the Go client's pstest server)
# on 127.0.0.1 for development and CI, so ingest-gcp is tested against a real gRPC Pub/Sub
# API without contacting Google.
#
#   bash deploy/local/pubsub.sh install   # go build the fake (first build takes 1-2 minutes)
#   bash deploy/local/pubsub.sh start     # start in the background, wait until the port answers
#   bash deploy/local/pubsub.sh status    # exit 0 when running and accepting connections
#   bash deploy/local/pubsub.sh stop      # SIGTERM by pid, SIGKILL after a deadline
#
# Every subcommand is safe to run again. State lives under .var/pubsub-fake/ (ignored by
# git): the binary, a fingerprint of the sources it was built from, logs and the pid file.
# `install` rebuilds only when main.go, go.mod, go.sum or the Go version changed. Modules are
# downloaded once into Go's module cache (GOMODCACHE, by default ~/go/pkg/mod) and compiled
# packages stay in Go's build cache, so later builds take seconds.
#
# Clients connect with PUBSUB_EMULATOR_HOST=127.0.0.1:<port> (or an explicit API endpoint)
# and no credentials. Topics, subscriptions and messages are in memory only.
#
# Environment (all optional):
#   CIEM_LOCAL_PUBSUB_PORT             port on 127.0.0.1 (default 8085)
#   CIEM_LOCAL_PUBSUB_START_TIMEOUT_S  seconds to wait for the port to answer (default 30)
#   CIEM_LOCAL_PUBSUB_STOP_TIMEOUT_S   seconds between SIGTERM and SIGKILL (default 10)
set -euo pipefail

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"
readonly SOURCE_DIR="${SCRIPT_DIR}/pubsub-fake"

readonly HOST="127.0.0.1"
readonly PORT="${CIEM_LOCAL_PUBSUB_PORT:-8085}"
readonly START_TIMEOUT_S="${CIEM_LOCAL_PUBSUB_START_TIMEOUT_S:-30}"
readonly STOP_TIMEOUT_S="${CIEM_LOCAL_PUBSUB_STOP_TIMEOUT_S:-10}"

readonly VAR_DIR="${REPO_ROOT}/.var/pubsub-fake"
readonly BINARY="${VAR_DIR}/pubsub-fake"
readonly FINGERPRINT_FILE="${VAR_DIR}/.built-from"
readonly LOG_FILE="${VAR_DIR}/pubsub-fake.log"
readonly PID_FILE="${VAR_DIR}/pubsub-fake.pid"

readonly SCRIPT_LABEL="pubsub.sh"
# shellcheck source=deploy/local/lib/process.sh
source "${SCRIPT_DIR}/lib/process.sh"

# Prints the fake's pid when the pid file names a live process running our binary.
running_pid() {
  pid_from_file "${PID_FILE}" "${BINARY} "
}

# Prints a hash of the sources and the Go version, so a change to either triggers a rebuild.
source_fingerprint() {
  {
    go version
    cat "${SOURCE_DIR}/main.go" "${SOURCE_DIR}/go.mod" "${SOURCE_DIR}/go.sum"
  } | sha256sum | cut -d' ' -f1
}

cmd_install() {
  command -v go >/dev/null 2>&1 || fail "'go' not found on PATH; install Go 1.26 or newer"
  mkdir -p "${VAR_DIR}"
  local fingerprint
  fingerprint="$(source_fingerprint)"
  if [[ -x "${BINARY}" && -f "${FINGERPRINT_FILE}" &&
    "$(cat "${FINGERPRINT_FILE}")" == "${fingerprint}" ]]; then
    log "already built: ${BINARY}"
    return 0
  fi

  log "building ${BINARY} with $(go version | cut -d' ' -f3) (first build downloads modules and takes 1-2 minutes)"
  local staging="${BINARY}.staging"
  rm -f "${staging}"
  # -mod=mod lets the build fill a missing go.sum line instead of failing. The committed
  # go.mod and go.sum pin every module, so nothing newer is picked.
  if ! (cd "${SOURCE_DIR}" && GOFLAGS=-mod=mod go build -trimpath -o "${staging}" .) \
    >"${VAR_DIR}/install.log" 2>&1; then
    tail -n 30 "${VAR_DIR}/install.log" >&2 || true
    rm -f "${staging}"
    fail "go build failed (full output in ${VAR_DIR}/install.log); check that the Go proxy is reachable and GOFLAGS/GOPROXY allow module downloads, then run install again"
  fi
  mv "${staging}" "${BINARY}"
  printf '%s\n' "${fingerprint}" >"${FINGERPRINT_FILE}"
  log "built ${BINARY}"
}

cmd_start() {
  if [[ ! -x "${BINARY}" ]]; then
    fail "the fake is not built; run 'bash deploy/local/pubsub.sh install' first"
  fi

  local pid
  if pid="$(running_pid)"; then
    log "already running (pid ${pid}), listening on ${HOST}:${PORT}"
    return 0
  fi
  rm -f "${PID_FILE}"

  if port_answers "${PORT}"; then
    fail "port ${PORT} on ${HOST} is already in use by another process; stop it or set CIEM_LOCAL_PUBSUB_PORT"
  fi

  log "starting the Pub/Sub fake on ${HOST}:${PORT}"
  nohup "${BINARY}" -port "${PORT}" >"${LOG_FILE}" 2>&1 </dev/null &
  pid=$!
  printf '%s\n' "${pid}" >"${PID_FILE}"

  local deadline=$((SECONDS + START_TIMEOUT_S))
  while ! port_answers "${PORT}"; do
    if ! kill -0 "${pid}" 2>/dev/null; then
      tail -n 20 "${LOG_FILE}" >&2 || true
      rm -f "${PID_FILE}"
      fail "the fake (pid ${pid}) exited during start; its log is ${LOG_FILE}"
    fi
    if ((SECONDS >= deadline)); then
      fail "the fake (pid ${pid}) did not answer on ${HOST}:${PORT} within ${START_TIMEOUT_S} s; it is left running, see ${LOG_FILE} and run 'stop'"
    fi
    sleep 0.2
  done
  log "ready (pid ${pid}): PUBSUB_EMULATOR_HOST=${HOST}:${PORT}; log in ${LOG_FILE}"
}

cmd_stop() {
  stop_server "${PID_FILE}" "the fake" "${STOP_TIMEOUT_S}"
}

cmd_status() {
  local pid
  if ! pid="$(running_pid)"; then
    log "not running"
    return 1
  fi
  if ! port_answers "${PORT}"; then
    log "process running (pid ${pid}) but nothing answers on ${HOST}:${PORT}"
    return 1
  fi
  log "running (pid ${pid}), listening on ${HOST}:${PORT}"
}

main() {
  require_port_number CIEM_LOCAL_PUBSUB_PORT "${PORT}"
  run_subcommand "$@"
}

main "$@"
