#!/usr/bin/env bash
# Installs, starts and stops a ClickHouse server for development and CI.
#
# The server runs as this project's own process, not as the system service: its config,
# data, logs and pid file live under .var/clickhouse/ in the repository. It listens on
# 127.0.0.1 only, HTTP on port 8123 and native TCP on port 9000 by default.
#
# Usage: deploy/local/clickhouse.sh install | start | stop | status
#
# Environment:
#   CIEM_LOCAL_CLICKHOUSE_HTTP_PORT       HTTP port (default 8123)
#   CIEM_LOCAL_CLICKHOUSE_TCP_PORT        native TCP port (default 9000)
#   CIEM_LOCAL_CLICKHOUSE_START_TIMEOUT_S seconds to wait for /ping after start (default 60)
#   CIEM_LOCAL_CLICKHOUSE_STOP_TIMEOUT_S  seconds to wait after SIGTERM before SIGKILL (default 30)
#
# Checked with the Debian clickhouse-server 18.16.1 package.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${script_dir}/../.." && pwd)"
template_dir="${script_dir}/clickhouse"
var_dir="${repo_root}/.var/clickhouse"
config_dir="${var_dir}/config"
data_dir="${var_dir}/data"
log_dir="${var_dir}/logs"
pid_file="${var_dir}/clickhouse.pid"

http_port="${CIEM_LOCAL_CLICKHOUSE_HTTP_PORT:-8123}"
tcp_port="${CIEM_LOCAL_CLICKHOUSE_TCP_PORT:-9000}"
start_timeout_s="${CIEM_LOCAL_CLICKHOUSE_START_TIMEOUT_S:-60}"
stop_timeout_s="${CIEM_LOCAL_CLICKHOUSE_STOP_TIMEOUT_S:-30}"

SCRIPT_LABEL="clickhouse.sh"
# shellcheck source=deploy/local/lib/process.sh
source "${script_dir}/lib/process.sh"

# Prints the command that runs the server in the foreground, one word per line. The Debian
# 18.16 package ships `clickhouse-server`; newer packages ship the `clickhouse` multi-tool,
# with or without the `clickhouse-server` link.
server_command() {
  if command -v clickhouse-server >/dev/null 2>&1; then
    printf '%s\n' "$(command -v clickhouse-server)"
  elif command -v clickhouse >/dev/null 2>&1; then
    printf '%s\n%s\n' "$(command -v clickhouse)" server
  else
    return 1
  fi
}

# True when GET /ping on the HTTP port returns "Ok.". Uses curl when present, and otherwise
# a plain HTTP/1.0 request through bash's /dev/tcp, because a fresh CI machine may lack curl.
ping_ok() {
  local body
  if command -v curl >/dev/null 2>&1; then
    body="$(curl --silent --max-time 2 "http://127.0.0.1:${http_port}/ping" 2>/dev/null)" || return 1
  else
    body="$(
      exec 2>/dev/null 3<>"/dev/tcp/127.0.0.1/${http_port}" || exit 1
      printf 'GET /ping HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
      timeout 2 cat <&3 | tail -n 1
    )" || return 1
  fi
  [[ "${body}" == "Ok." ]]
}

# Prints the server's pid when the pid file names a live server started with this folder's
# configuration.
running_pid() {
  pid_from_file "${pid_file}" "--config-file=${config_dir}/config.xml"
}

# Replaces every @NAME@ placeholder of a template with its value. Bash substitution keeps
# paths with characters that sed would treat as special (such as & or |) intact.
render_template() {
  local template="$1" target="$2" text
  text="$(<"${template}")"
  text="${text//@HTTP_PORT@/${http_port}}"
  text="${text//@TCP_PORT@/${tcp_port}}"
  text="${text//@DATA_DIR@/${data_dir}}"
  text="${text//@LOG_DIR@/${log_dir}}"
  text="${text//@CONFIG_DIR@/${config_dir}}"
  printf '%s\n' "${text}" >"${target}"
}

cmd_install() {
  if server_command >/dev/null; then
    log "ClickHouse is already installed: $(server_command | head -n 1)"
    return 0
  fi
  if [[ "$(id -u)" != "0" ]]; then
    fail "installing needs root: run 'sudo bash $0 install', or install the clickhouse-server and clickhouse-client packages yourself"
  fi
  command -v apt-get >/dev/null 2>&1 || fail "apt-get not found: install clickhouse-server and clickhouse-client with this system's package manager"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-cache show clickhouse-server >/dev/null 2>&1; then
    log "package clickhouse-server not in the package index; running apt-get update"
    apt-get update
  fi
  apt-get install -y clickhouse-server clickhouse-client
  server_command >/dev/null || fail "apt-get installed the packages but neither clickhouse-server nor clickhouse is on PATH"

  # On a machine running systemd the package starts its own service on ports 8123 and 9000,
  # which would keep `start` from binding them. This project runs its own server instead.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet clickhouse-server 2>/dev/null; then
    log "stopping and disabling the clickhouse-server system service that the package started"
    systemctl stop clickhouse-server
    systemctl disable clickhouse-server >/dev/null 2>&1 || true
  fi
  log "installed $(server_command | head -n 1)"
}

cmd_start() {
  require_port_number CIEM_LOCAL_CLICKHOUSE_HTTP_PORT "${http_port}"
  require_port_number CIEM_LOCAL_CLICKHOUSE_TCP_PORT "${tcp_port}"
  require_seconds CIEM_LOCAL_CLICKHOUSE_START_TIMEOUT_S "${start_timeout_s}"

  local pid
  if pid="$(running_pid)"; then
    log "already running (pid ${pid}); HTTP http://127.0.0.1:${http_port}, native TCP 127.0.0.1:${tcp_port}"
    return 0
  fi

  local -a command
  mapfile -t command < <(server_command) || true
  ((${#command[@]} > 0)) || fail "ClickHouse is not installed: run 'bash $0 install' first"

  local port
  for port in "${http_port}" "${tcp_port}"; do
    if port_answers "${port}"; then
      fail "port 127.0.0.1:${port} is already in use by another process (not the server in ${pid_file}), for example the clickhouse-server system service; stop it, or choose other ports with CIEM_LOCAL_CLICKHOUSE_HTTP_PORT and CIEM_LOCAL_CLICKHOUSE_TCP_PORT"
    fi
  done

  mkdir -p "${config_dir}" "${log_dir}" "${data_dir}/tmp" "${data_dir}/user_files" "${data_dir}/format_schemas"
  render_template "${template_dir}/config.xml.template" "${config_dir}/config.xml"
  render_template "${template_dir}/users.xml.template" "${config_dir}/users.xml"
  rm -f "${pid_file}"

  # setsid puts the server in its own session, so it outlives this shell and the signals
  # sent to the caller's process group. Without job control the background child is not a
  # group leader, so setsid runs the server in the same process and $! is the server's pid.
  setsid "${command[@]}" --config-file="${config_dir}/config.xml" \
    </dev/null >>"${log_dir}/stdout.log" 2>&1 &
  pid=$!
  printf '%s\n' "${pid}" >"${pid_file}"

  local deadline=$((SECONDS + start_timeout_s))
  until ping_ok; do
    if ! kill -0 "${pid}" 2>/dev/null; then
      rm -f "${pid_file}"
      tail -n 20 "${log_dir}/clickhouse-server.err.log" "${log_dir}/stdout.log" 2>/dev/null >&2 || true
      fail "the server exited during start-up; see the logs in ${log_dir}"
    fi
    if ((SECONDS >= deadline)); then
      fail "the server (pid ${pid}) did not return Ok. from /ping on port ${http_port} within ${start_timeout_s} s; see ${log_dir}, and stop it with 'bash $0 stop'"
    fi
    sleep 0.5
  done
  log "started (pid ${pid}); HTTP http://127.0.0.1:${http_port}, native TCP 127.0.0.1:${tcp_port}, logs in ${log_dir}"
}

cmd_stop() {
  require_seconds CIEM_LOCAL_CLICKHOUSE_STOP_TIMEOUT_S "${stop_timeout_s}"
  stop_server "${pid_file}" "the server" "${stop_timeout_s}"
}

# Exit status follows the LSB convention: 0 when running, 3 when not.
cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    if ping_ok; then
      log "running (pid ${pid}); HTTP http://127.0.0.1:${http_port}, native TCP 127.0.0.1:${tcp_port}"
    else
      log "process ${pid} is alive but /ping on port ${http_port} does not return Ok.; see ${log_dir}"
    fi
    return 0
  fi
  log "not running"
  return 3
}

run_subcommand "$@"
