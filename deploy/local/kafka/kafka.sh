#!/usr/bin/env bash
# A single Apache Kafka 4.1 broker (KRaft, broker and controller in one process) on 127.0.0.1, for local
# runs and the test suite. Usage: kafka.sh start|stop|status   Env: KAFKA_PORT (default 9092),
# BANLI_KAFKA_HOME (default ~/.cache/banli-kafka; jars, data and logs live there), KAFKA_RUN_DIR (this
# broker's data and logs; default $BANLI_KAFKA_HOME/run-$KAFKA_PORT).
# KAFKA_SECURE_PORT adds a SASL_SSL listener there: TLS with a certificate generated for 127.0.0.1 (its CA
# in $KAFKA_RUN_DIR/tls/ca.pem) and SCRAM-SHA-512 for the user KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="$((PORT + 1))"
HOME_DIR="${BANLI_KAFKA_HOME:-${HOME}/.cache/banli-kafka}"
LIB="$HOME_DIR/lib"
RUN="${KAFKA_RUN_DIR:-$HOME_DIR/run-$PORT}"
PID_FILE="$RUN/kafka.pid"
SECURE_PORT="${KAFKA_SECURE_PORT:-}"
TLS="$RUN/tls"

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "kafka.sh: '$1' is not installed. The local Kafka broker needs $2." >&2; exit 2; }
}

fetch() {
  if [ -f "$LIB/.complete" ]; then return; fi
  need mvn "Maven (to fetch Apache Kafka from Maven Central)"
  echo "Fetching Apache Kafka 4.1.1 from Maven Central into $LIB …"
  mkdir -p "$LIB"
  mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIB" -DincludeScope=runtime
  touch "$LIB/.complete"
}

running() {
  [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

# A self-signed certificate for 127.0.0.1, kept with the broker's data; its certificate is the clients' CA.
tls_material() {
  [ -f "$TLS/broker.p12" ] && [ -f "$TLS/ca.pem" ] && return
  need keytool "the JDK's keytool (to make the TLS certificate)"
  mkdir -p "$TLS"
  keytool -genkeypair -alias broker -keyalg RSA -keysize 2048 -validity 3650 -dname "CN=127.0.0.1" -ext "SAN=ip:127.0.0.1,dns:localhost" \
    -keystore "$TLS/broker.p12" -storetype PKCS12 -storepass banli-local -keypass banli-local >/dev/null 2>&1
  keytool -exportcert -rfc -alias broker -keystore "$TLS/broker.p12" -storetype PKCS12 -storepass banli-local > "$TLS/ca.pem" 2>/dev/null
}

start() {
  need java "Java 17 or later"
  fetch
  if running; then echo "Kafka is already running on 127.0.0.1:$PORT (pid $(cat "$PID_FILE"))"; return; fi
  mkdir -p "$RUN/data" "$RUN/logs"
  local listeners="PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT"
  local advertised="PLAINTEXT://127.0.0.1:$PORT"
  local protocols="PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
  local secure=""
  if [ -n "$SECURE_PORT" ]; then
    tls_material
    listeners="$listeners,SASL_SSL://127.0.0.1:$SECURE_PORT"
    advertised="$advertised,SASL_SSL://127.0.0.1:$SECURE_PORT"
    protocols="$protocols,SASL_SSL:SASL_SSL"
    secure="sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.location=$TLS/broker.p12
ssl.keystore.type=PKCS12
ssl.keystore.password=banli-local
ssl.key.password=banli-local"
  fi
  cat > "$RUN/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=$listeners
advertised.listeners=$advertised
controller.listener.names=CONTROLLER
listener.security.protocol.map=$protocols
inter.broker.listener.name=PLAINTEXT
$secure
log.dirs=$RUN/data
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
PROPS
  local java_opts=(-Xms256m -Xmx512m -Dlog4j2.configurationFile="$HERE/log4j2.properties" -Dkafka.logs.dir="$RUN/logs")
  if [ ! -f "$RUN/data/meta.properties" ]; then
    local cluster
    cluster="$(java "${java_opts[@]}" -cp "$LIB/*" kafka.tools.StorageTool random-uuid)"
    java "${java_opts[@]}" -cp "$LIB/*" kafka.tools.StorageTool format -t "$cluster" -c "$RUN/server.properties" >/dev/null
  fi
  nohup java "${java_opts[@]}" -cp "$LIB/*" kafka.Kafka "$RUN/server.properties" > "$RUN/logs/stdout.log" 2>&1 &
  echo $! > "$PID_FILE"
  # Ready when it answers a metadata request, not merely when the port opens.
  for _ in $(seq 1 120); do
    if node "$HERE/wait-for-kafka.js" "127.0.0.1:$PORT" >/dev/null 2>&1; then
      if [ -n "$SECURE_PORT" ]; then
        # SCRAM credentials live in the cluster's metadata: set (again) for the configured user.
        java "${java_opts[@]}" -cp "$LIB/*" kafka.admin.ConfigCommand --bootstrap-server "127.0.0.1:$PORT" --alter --entity-type users \
          --entity-name "${KAFKA_SASL_USERNAME:-banli}" \
          --add-config "SCRAM-SHA-512=[password=${KAFKA_SASL_PASSWORD:-banli-local-password}]" >/dev/null
        echo "Kafka's SASL_SSL listener is on 127.0.0.1:$SECURE_PORT (CA: $TLS/ca.pem, user ${KAFKA_SASL_USERNAME:-banli})"
      fi
      echo "Kafka is running on 127.0.0.1:$PORT (pid $(cat "$PID_FILE"), data in $RUN)"
      return
    fi
    if ! running; then echo "Kafka exited during start-up; see $RUN/logs" >&2; tail -20 "$RUN/logs/stdout.log" >&2 || true; exit 1; fi
    sleep 1
  done
  echo "Kafka did not answer metadata requests within 120 s; see $RUN/logs" >&2
  exit 1
}

stop() {
  if ! running; then echo "Kafka is not running on port $PORT"; rm -f "$PID_FILE"; return; fi
  local pid; pid="$(cat "$PID_FILE")"
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
  rm -f "$PID_FILE"
  echo "Kafka on port $PORT stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running (pid $(cat "$PID_FILE"))"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: kafka.sh start|stop|status" >&2; exit 2 ;;
esac
