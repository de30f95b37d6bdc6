# Functions the deploy/local scripts share: messages, argument checks, installing a Python
# package into a venv, and finding and stopping a server by the pid in its pid file. Source it after setting SCRIPT_LABEL (the
# prefix of every message, e.g. "kafka.sh"). It only defines functions.

log() { printf '%s: %s\n' "${SCRIPT_LABEL}" "$*"; }

fail() {
  printf '%s: error: %s\n' "${SCRIPT_LABEL}" "$*" >&2
  exit 1
}

require_port_number() {
  local name="$1" value="$2"
  if ! [[ "${value}" =~ ^[0-9]+$ ]] || ((value < 1 || value > 65535)); then
    fail "${name} must be a TCP port number from 1 to 65535, got '${value}'"
  fi
}

require_seconds() {
  local name="$1" value="$2"
  if ! [[ "${value}" =~ ^[0-9]+$ ]] || ((value < 1)); then
    fail "${name} must be a whole number of seconds of at least 1, got '${value}'"
  fi
}

require_command() {
  command -v "$1" >/dev/null 2>&1 || fail "'$1' not found on PATH; $2"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_answers() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# Prints the pid written in pid file $1 when that process is alive and its command line
# contains $2. The command line check guards against a stale pid file whose pid the system
# has since given to another process.
pid_from_file() {
  local pid_file="$1" command_pattern="$2" pid
  [[ -f "${pid_file}" ]] || return 1
  pid="$(tr -d '[:space:]' <"${pid_file}")"
  [[ "${pid}" =~ ^[0-9]+$ ]] || return 1
  kill -0 "${pid}" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null | grep -qF -- "${command_pattern}" || return 1
  printf '%s\n' "${pid}"
}

# Stops process $1 (described as $2 in messages) with SIGTERM, then SIGKILL once $3 seconds
# have passed, and returns when it is gone. The server was started by an earlier shell, so
# `wait` cannot reap it here and the function polls instead.
stop_pid() {
  local pid="$1" what="$2" timeout_s="$3"
  log "stopping ${what} (pid ${pid}) with SIGTERM"
  kill -TERM "${pid}" 2>/dev/null || true
  local deadline=$((SECONDS + timeout_s))
  while kill -0 "${pid}" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "still running after ${timeout_s} s; sending SIGKILL to pid ${pid}"
      kill -KILL "${pid}" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  while kill -0 "${pid}" 2>/dev/null; do sleep 0.2; done
}

# Stops the server whose pid `running_pid` (defined by the sourcing script) prints, and
# removes the pid file $1, stale or not. Each script's `stop` subcommand calls it.
stop_server() {
  local pid_file="$1" what="$2" timeout_s="$3" pid
  if ! pid="$(running_pid)"; then
    if [[ -f "${pid_file}" ]]; then
      rm -f "${pid_file}"
      log "not running (removed a stale pid file)"
    else
      log "not running"
    fi
    return 0
  fi
  stop_pid "${pid}" "${what}" "${timeout_s}"
  rm -f "${pid_file}"
  log "stopped"
}

# Runs the sourcing script's cmd_install, cmd_start, cmd_stop or cmd_status, as named by $1.
run_subcommand() {
  case "${1:-}" in
    install | start | stop | status) "cmd_$1" ;;
    *)
      printf 'usage: bash deploy/local/%s install|start|stop|status\n' "${SCRIPT_LABEL}" >&2
      exit 2
      ;;
  esac
}

# Creates the venv $1 with the Python $2 and pip-installs the requirement $3 into it,
# writing pip's output to $4. On failure it prints the end of that output, removes the
# venv so that the next install starts clean, and fails.
install_into_venv() {
  local venv="$1" python="$2" requirement="$3" install_log="$4"
  rm -rf "${venv}"
  if ! "${python}" -m venv "${venv}" >"${install_log}" 2>&1; then
    cat "${install_log}" >&2
    fail "creating the venv failed (output above); on Debian install the python3-venv package"
  fi
  if ! "${venv}/bin/pip" install --disable-pip-version-check -q "${requirement}" \
    >>"${install_log}" 2>&1; then
    tail -n 30 "${install_log}" >&2 || true
    rm -rf "${venv}"
    fail "pip install of ${requirement} failed (full output in ${install_log}); check that PyPI is reachable, then run install again"
  fi
}
