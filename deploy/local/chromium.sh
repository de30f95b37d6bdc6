#!/usr/bin/env bash
# Installs Debian's chromium, the headless browser that the report rendering tests use to
# open the generated HTML and take a screenshot. There is no server to run: `start` and
# `stop` do nothing, so the script fits the install/start/stop/status pattern of the other
# deploy/local scripts.
#
#   bash deploy/local/chromium.sh install   # apt-get install -y chromium, unless it is installed
#   bash deploy/local/chromium.sh status    # exit 0 when the browser runs (`--version`)
#   bash deploy/local/chromium.sh start     # nothing to start; exit 0
#   bash deploy/local/chromium.sh stop      # nothing to stop; exit 0
#
# Every subcommand is safe to run again. Installing needs root (or sudo) and the Debian
# package mirror; without them `install` prints why and exits 1, and the tests skip with a
# message naming the missing browser.
#
# Environment (all optional):
#   CIEM_CHROMIUM_PATH   browser executable to check (default /usr/bin/chromium)
set -euo pipefail

readonly BROWSER="${CIEM_CHROMIUM_PATH:-/usr/bin/chromium}"

readonly SCRIPT_LABEL="chromium.sh"
# shellcheck source=deploy/local/lib/process.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/process.sh"

browser_runs() {
  [[ -x "${BROWSER}" ]] && "${BROWSER}" --headless --no-sandbox --version >/dev/null 2>&1
}

install() {
  if browser_runs; then
    log "already installed: $("${BROWSER}" --headless --no-sandbox --version 2>/dev/null)"
    return 0
  fi
  local run_as_root=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || fail "installing chromium needs root or sudo; run as root or install the Debian package 'chromium' by hand"
    run_as_root=(sudo -n)
  fi
  command -v apt-get >/dev/null 2>&1 || fail "apt-get not found; install chromium with the system's package manager and set CIEM_CHROMIUM_PATH"
  log "installing the Debian package chromium"
  "${run_as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${run_as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium
  browser_runs || fail "chromium was installed but '${BROWSER} --version' failed"
  log "installed: $("${BROWSER}" --headless --no-sandbox --version 2>/dev/null)"
}

case "${1:-}" in
  install) install ;;
  status)
    if browser_runs; then
      log "installed at ${BROWSER}"
    else
      log "not installed at ${BROWSER}"
      exit 1
    fi
    ;;
  start | stop) exit 0 ;;
  *)
    printf 'usage: %s install|start|stop|status\n' "$0" >&2
    exit 2
    ;;
esac
