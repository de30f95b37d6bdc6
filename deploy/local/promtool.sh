#!/usr/bin/env bash
# Installs promtool, the Prometheus tool that checks the configuration and runs the unit
# tests of the alerting rules in deploy/prometheus/. It takes the binary out of Debian's
# `prometheus` package without installing the package, so no Prometheus service is set up
# or started. There is no server: `start` and `stop` do nothing, so the script fits the
# install/start/stop/status pattern of the other deploy/local scripts.
#
#   bash deploy/local/promtool.sh install   # download the .deb and extract promtool
#   bash deploy/local/promtool.sh status    # exit 0 when promtool runs (`--version`)
#   bash deploy/local/promtool.sh start     # nothing to start; exit 0
#   bash deploy/local/promtool.sh stop      # nothing to stop; exit 0
#
# Every subcommand is safe to run again. The binary lands in .var/promtool/bin/promtool
# (ignored by git), where test/observability/promtool.test.ts looks for it. Downloading
# needs the Debian package lists: when they lack the package, `install` refreshes them with
# apt-get update, which needs root or sudo.
set -euo pipefail

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"
readonly VAR_DIR="${REPO_ROOT}/.var/promtool"
readonly BINARY="${VAR_DIR}/bin/promtool"

readonly SCRIPT_LABEL="promtool.sh"
# shellcheck source=deploy/local/lib/process.sh
source "${SCRIPT_DIR}/lib/process.sh"

promtool_runs() {
  [[ -x "${BINARY}" ]] && "${BINARY}" --version >/dev/null 2>&1
}

# Downloads the prometheus .deb into the current folder. Fails when apt has no candidate.
download_package() {
  apt-get download prometheus >/dev/null 2>&1
}

refresh_package_lists() {
  local run_as_root=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || fail "the Debian package lists lack 'prometheus' and refreshing them needs root or sudo; run 'apt-get update' as root, then install again"
    run_as_root=(sudo -n)
  fi
  log "refreshing the Debian package lists"
  "${run_as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
}

cmd_install() {
  if promtool_runs; then
    log "already installed: $("${BINARY}" --version 2>&1 | head -n 1)"
    return 0
  fi
  require_command apt-get "install promtool with the system's package manager and set CIEM_PROMTOOL to its path"
  require_command dpkg-deb "install promtool with the system's package manager and set CIEM_PROMTOOL to its path"

  local staging="${VAR_DIR}/staging"
  rm -rf "${staging}"
  mkdir -p "${staging}" "${VAR_DIR}/bin"
  log "downloading the Debian package prometheus (for promtool only)"
  if ! (cd "${staging}" && download_package); then
    refresh_package_lists
    (cd "${staging}" && download_package) || fail "apt-get download prometheus failed; check that a Debian mirror is reachable"
  fi
  dpkg-deb -x "${staging}"/prometheus_*.deb "${staging}/root"
  [[ -x "${staging}/root/usr/bin/promtool" ]] || fail "the prometheus package has no usr/bin/promtool; set CIEM_PROMTOOL to a promtool binary instead"
  mv "${staging}/root/usr/bin/promtool" "${BINARY}"
  rm -rf "${staging}"
  promtool_runs || fail "promtool was extracted to ${BINARY} but '--version' failed"
  log "installed: $("${BINARY}" --version 2>&1 | head -n 1)"
}

cmd_status() {
  if promtool_runs; then
    log "installed at ${BINARY}"
  else
    log "not installed at ${BINARY}"
    return 1
  fi
}

cmd_start() { return 0; }
cmd_stop() { return 0; }

run_subcommand "$@"
