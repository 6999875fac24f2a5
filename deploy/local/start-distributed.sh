#!/usr/bin/env bash
# npm run start:distributed — a Kafka broker, the four services and a router on this machine.
# The services share one SQLite store file (BANLI_DATA_DIR) and talk through Kafka; the router serves the
# whole contract on PORT (default 3000). Ctrl-C stops everything it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export BANLI_DATA_DIR="${BANLI_DATA_DIR:-$ROOT/data}"
export KAFKA_PORT="${KAFKA_PORT:-9092}"
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:$KAFKA_PORT}"
export BANLI_BUS=kafka
mkdir -p "$BANLI_DATA_DIR"
# One development secret for all four services (the first to start would otherwise race the others).
if [ -z "${BANLI_JWT_SECRET:-}" ] && [ ! -f "$BANLI_DATA_DIR/dev-jwt-secret" ]; then
  node -e "require('fs').writeFileSync(process.argv[1], require('crypto').randomBytes(32).toString('hex') + '\n', { mode: 0o600 })" "$BANLI_DATA_DIR/dev-jwt-secret"
fi
started_kafka=0
if ! node "$ROOT/deploy/local/kafka/wait-for-kafka.js" "$KAFKA_BROKERS" >/dev/null 2>&1; then
  "$ROOT/deploy/local/kafka/kafka.sh" start
  started_kafka=1
fi
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$started_kafka" = 1 ]; then "$ROOT/deploy/local/kafka/kafka.sh" stop; fi
}
trap cleanup EXIT INT TERM
declare -A ports=([assignment]=3001 [co-handling]=3002 [supervision]=3003 [feedback]=3004)
for service in assignment co-handling supervision feedback; do
  BANLI_SERVICE="$service" PORT="${ports[$service]}" node "$ROOT/dist/apps/$service/src/main.js" &
  pids+=($!)
done
node "$ROOT/deploy/local/router.js" &
pids+=($!)
echo "Banli (distributed): the contract on http://localhost:${PORT:-3000}/api/v1 — services on 3001-3004, Kafka on $KAFKA_BROKERS"
wait
