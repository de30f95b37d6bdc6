#!/usr/bin/env bash
# Installs and runs a real single-node Apache Kafka broker (KRaft, combined broker and
# controller) on 127.0.0.1 for development and CI, where no container engine exists.
#
#   bash deploy/local/kafka.sh install   # resolve the broker jars from Maven Central
#   bash deploy/local/kafka.sh start     # format storage on first start, start, wait until ready
#   bash deploy/local/kafka.sh status    # exit 0 when running and accepting connections
#   bash deploy/local/kafka.sh stop      # SIGTERM by pid, SIGKILL after a deadline
#
# Every subcommand is safe to run again. State lives under .var/kafka/ (ignored by git):
# libs/ (jars), data/ (log dirs), logs/ (broker logs), server.properties, cluster-id and
# kafka.pid. The process is only ever found and stopped by the pid in kafka.pid.
#
# Environment (all optional):
#   CIEM_LOCAL_KAFKA_VERSION          kafka_2.13 version to install (default 4.1.1)
#   CIEM_LOCAL_KAFKA_PORT             client listener port (default 9092)
#   CIEM_LOCAL_KAFKA_CONTROLLER_PORT  KRaft controller listener port (default 9093)
#   CIEM_LOCAL_KAFKA_HEAP_OPTS        JVM heap flags (default "-Xms256m -Xmx512m")
#   CIEM_LOCAL_KAFKA_START_TIMEOUT_S  seconds to wait for the broker to answer (default 90)
#   CIEM_LOCAL_KAFKA_STOP_TIMEOUT_S   seconds between SIGTERM and SIGKILL (default 60)
#   CIEM_LOCAL_KAFKA_MAVEN_REPO       local Maven repository (default: Maven's own, ~/.m2)
#   CIEM_LOCAL_KAFKA_STATE_DIR        folder of data/, logs/, server.properties, cluster-id and
#                                     kafka.pid (default .var/kafka). With other ports, it runs a
#                                     second broker beside the default one; the jars stay shared.
#   CIEM_LOCAL_KAFKA_EXTRA_CONFIG     path of a properties file appended to server.properties on
#                                     every start (default none). A key set again there wins, so
#                                     a test broker can add TLS or SASL listeners.
set -euo pipefail

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"
readonly POM="${SCRIPT_DIR}/kafka/pom.xml"
readonly LOG4J_CONFIG="${SCRIPT_DIR}/kafka/log4j2.properties"

readonly KAFKA_VERSION="${CIEM_LOCAL_KAFKA_VERSION:-4.1.1}"
readonly HOST="127.0.0.1"
readonly PORT="${CIEM_LOCAL_KAFKA_PORT:-9092}"
readonly CONTROLLER_PORT="${CIEM_LOCAL_KAFKA_CONTROLLER_PORT:-9093}"
readonly HEAP_OPTS="${CIEM_LOCAL_KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
readonly START_TIMEOUT_S="${CIEM_LOCAL_KAFKA_START_TIMEOUT_S:-90}"
readonly STOP_TIMEOUT_S="${CIEM_LOCAL_KAFKA_STOP_TIMEOUT_S:-60}"
readonly EXTRA_CONFIG="${CIEM_LOCAL_KAFKA_EXTRA_CONFIG:-}"

readonly VAR_DIR="${REPO_ROOT}/.var/kafka"
readonly LIBS_DIR="${VAR_DIR}/libs"
readonly VERSION_MARKER="${LIBS_DIR}/.installed-version"
readonly STATE_DIR="${CIEM_LOCAL_KAFKA_STATE_DIR:-${VAR_DIR}}"
readonly DATA_DIR="${STATE_DIR}/data"
readonly LOGS_DIR="${STATE_DIR}/logs"
readonly CONFIG_FILE="${STATE_DIR}/server.properties"
readonly CLUSTER_ID_FILE="${STATE_DIR}/cluster-id"
readonly PID_FILE="${STATE_DIR}/kafka.pid"

readonly SCRIPT_LABEL="kafka.sh"
# shellcheck source=deploy/local/lib/process.sh
source "${SCRIPT_DIR}/lib/process.sh"

# Prints the broker's pid when it runs from this state folder's configuration.
running_pid() {
  pid_from_file "${PID_FILE}" "kafka.Kafka ${CONFIG_FILE}"
}

# Runs a Kafka tool class on the installed classpath, with Log4j quiet on stderr.
run_kafka_class() {
  java -Xmx256m -Dlog4j2.configurationFile="${LOG4J_CONFIG}" -Dkafka.logs.dir="${LOGS_DIR}/tools" \
    -cp "${LIBS_DIR}/*" "$@"
}

# A metadata request through the Admin client: the broker is ready when it lists topics.
broker_answers_metadata() {
  timeout 30 java -Xmx256m -Dlog4j2.configurationFile="${LOG4J_CONFIG}" \
    -Dkafka.logs.dir="${LOGS_DIR}/tools" -cp "${LIBS_DIR}/*" \
    org.apache.kafka.tools.TopicCommand --bootstrap-server "${HOST}:${PORT}" --list \
    >/dev/null 2>&1
}

cmd_install() {
  require_command java "install a Java 17 (or newer) runtime"
  require_command mvn "install Apache Maven 3.8 or newer"

  if [[ -f "${VERSION_MARKER}" && "$(cat "${VERSION_MARKER}")" == "${KAFKA_VERSION}" ]]; then
    log "Kafka ${KAFKA_VERSION} already installed in ${LIBS_DIR}"
    return 0
  fi

  log "resolving Kafka ${KAFKA_VERSION} jars from Maven Central (first run downloads about 60 MB)"
  local staging="${VAR_DIR}/libs.staging"
  rm -rf "${staging}"
  mkdir -p "${VAR_DIR}"
  local maven_args=(-q -B -f "${POM}" "-Dkafka.version=${KAFKA_VERSION}"
    dependency:copy-dependencies "-DoutputDirectory=${staging}")
  if [[ -n "${CIEM_LOCAL_KAFKA_MAVEN_REPO:-}" ]]; then
    maven_args+=("-Dmaven.repo.local=${CIEM_LOCAL_KAFKA_MAVEN_REPO}")
  fi
  if ! mvn "${maven_args[@]}" >"${VAR_DIR}/install.log" 2>&1; then
    tail -n 30 "${VAR_DIR}/install.log" >&2 || true
    rm -rf "${staging}"
    fail "downloading Kafka ${KAFKA_VERSION} from Maven Central failed (full output in ${VAR_DIR}/install.log); check the network and that org.apache.kafka:kafka_2.13:${KAFKA_VERSION} exists, then run install again"
  fi
  if ! compgen -G "${staging}/kafka_2.13-${KAFKA_VERSION}.jar" >/dev/null; then
    fail "Maven finished but kafka_2.13-${KAFKA_VERSION}.jar is missing from ${staging}; see ${VAR_DIR}/install.log"
  fi

  # Swap the folder in whole so an interrupted install never leaves a half-filled classpath.
  rm -rf "${LIBS_DIR}"
  mv "${staging}" "${LIBS_DIR}"
  printf '%s\n' "${KAFKA_VERSION}" >"${VERSION_MARKER}"
  log "installed Kafka ${KAFKA_VERSION}: $(find "${LIBS_DIR}" -name '*.jar' | wc -l) jars in ${LIBS_DIR}"
}

write_config() {
  mkdir -p "${DATA_DIR}" "${LOGS_DIR}"
  cat >"${CONFIG_FILE}" <<EOF
# Generated by deploy/local/kafka.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@${HOST}:${CONTROLLER_PORT}
listeners=PLAINTEXT://${HOST}:${PORT},CONTROLLER://${HOST}:${CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://${HOST}:${PORT}
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${DATA_DIR}

# One node, so every internal topic has one replica.
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Topics come from configuration (ensureTopics), never from a typo in a producer.
auto.create.topics.enable=false
delete.topic.enable=true
# Tests start and stop consumers often; a new group should not wait before its first rebalance.
group.initial.rebalance.delay.ms=0
log.retention.hours=168
EOF
  if [[ -n "${EXTRA_CONFIG}" ]]; then
    [[ -r "${EXTRA_CONFIG}" ]] || fail "CIEM_LOCAL_KAFKA_EXTRA_CONFIG names ${EXTRA_CONFIG}, which is not a readable file"
    printf '\n# Appended from %s\n' "${EXTRA_CONFIG}" >>"${CONFIG_FILE}"
    cat "${EXTRA_CONFIG}" >>"${CONFIG_FILE}"
  fi
}

format_storage_once() {
  if [[ -f "${DATA_DIR}/meta.properties" ]]; then
    return 0
  fi
  if [[ ! -s "${CLUSTER_ID_FILE}" ]]; then
    run_kafka_class kafka.tools.StorageTool random-uuid >"${CLUSTER_ID_FILE}.tmp" ||
      fail "generating a cluster id failed; see ${LOGS_DIR}/tools"
    mv "${CLUSTER_ID_FILE}.tmp" "${CLUSTER_ID_FILE}"
  fi
  local cluster_id
  cluster_id="$(tr -d '[:space:]' <"${CLUSTER_ID_FILE}")"
  log "formatting storage in ${DATA_DIR} with cluster id ${cluster_id}"
  if ! run_kafka_class kafka.tools.StorageTool format -t "${cluster_id}" -c "${CONFIG_FILE}" \
    >"${LOGS_DIR}/format.log" 2>&1; then
    cat "${LOGS_DIR}/format.log" >&2
    fail "formatting storage failed (output above); remove ${DATA_DIR} to start from empty storage"
  fi
}

wait_until_ready() {
  local pid="$1"
  local deadline=$((SECONDS + START_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    if ! kill -0 "${pid}" 2>/dev/null; then
      tail -n 40 "${LOGS_DIR}/server.log" "${LOGS_DIR}/stdout.log" >&2 2>/dev/null || true
      rm -f "${PID_FILE}"
      fail "the broker (pid ${pid}) exited during start; logs are in ${LOGS_DIR}"
    fi
    if port_answers "${PORT}" && broker_answers_metadata; then
      return 0
    fi
    sleep 1
  done
  fail "the broker (pid ${pid}) did not answer a metadata request on ${HOST}:${PORT} within ${START_TIMEOUT_S} s; it is left running, see ${LOGS_DIR} and run 'stop'"
}

cmd_start() {
  require_command java "install a Java 17 (or newer) runtime"
  if [[ ! -f "${VERSION_MARKER}" ]]; then
    fail "Kafka is not installed in ${LIBS_DIR}; run 'bash deploy/local/kafka.sh install' first"
  fi
  local installed
  installed="$(cat "${VERSION_MARKER}")"

  local pid
  if pid="$(running_pid)"; then
    if port_answers "${PORT}"; then
      log "already running (pid ${pid}), listening on ${HOST}:${PORT}"
      return 0
    fi
    log "already started (pid ${pid}); waiting for it to answer on ${HOST}:${PORT}"
    wait_until_ready "${pid}"
    log "ready (pid ${pid}), listening on ${HOST}:${PORT}"
    return 0
  fi
  rm -f "${PID_FILE}"

  local port
  for port in "${PORT}" "${CONTROLLER_PORT}"; do
    if port_answers "${port}"; then
      fail "port ${port} on ${HOST} is already in use by another process; stop it or set CIEM_LOCAL_KAFKA_PORT / CIEM_LOCAL_KAFKA_CONTROLLER_PORT"
    fi
  done

  write_config
  format_storage_once

  log "starting Kafka ${installed} (KRaft, broker+controller) on ${HOST}:${PORT}, controller ${HOST}:${CONTROLLER_PORT}"
  # shellcheck disable=SC2086 # HEAP_OPTS holds several JVM flags on purpose.
  nohup java ${HEAP_OPTS} -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="${LOG4J_CONFIG}" -Dkafka.logs.dir="${LOGS_DIR}" \
    -cp "${LIBS_DIR}/*" kafka.Kafka "${CONFIG_FILE}" \
    >"${LOGS_DIR}/stdout.log" 2>&1 </dev/null &
  pid=$!
  printf '%s\n' "${pid}" >"${PID_FILE}"

  wait_until_ready "${pid}"
  log "ready (pid ${pid}): bootstrap servers ${HOST}:${PORT}; logs in ${LOGS_DIR}"
}

cmd_stop() {
  stop_server "${PID_FILE}" "the broker" "${STOP_TIMEOUT_S}"
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
  log "running (pid ${pid}), listening on ${HOST}:${PORT}, Kafka $(cat "${VERSION_MARKER}" 2>/dev/null || echo unknown)"
}

main() {
  require_port_number CIEM_LOCAL_KAFKA_PORT "${PORT}"
  require_port_number CIEM_LOCAL_KAFKA_CONTROLLER_PORT "${CONTROLLER_PORT}"
  run_subcommand "$@"
}

main "$@"
