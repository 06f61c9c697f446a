#!/usr/bin/env bash
# Events per second and latency from event to action through Kafka workers, on this machine: a local broker
# (`valuetier kafka`), the real MariaDB, and 1, then 2 workers (`valuetier worker`), each in its own JVM.
#
#   bench/kafka-load.sh                                # 100,000 events all at once (a backlog), with 1 then 2 workers
#   EVENTS=100000 RATE=150 WORKERS="1 2" bench/kafka-load.sh   # sent at 150 events/s: latency below saturation
#   WARMUP=10000 EVENTS=18000 RATE=100 bench/kafka-load.sh     # the same after 10,000 events at full speed, unmeasured
#   WORKER_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/w.jfr" EVENTS=5000 WORKERS=1 bench/kafka-load.sh  # profile
#
# 1. a fresh MariaDB database (valuetier_kbench_<pid> on 127.0.0.1:3306 as root, dropped at the end unless
#    KEEP=true) filled by the main job on the bundled Online Retail sample (4,372 customers, their 400,000 order
#    lines, a champion model, the active rule set), models and outputs under $WORK;
# 2. a single-node KRaft broker on 127.0.0.1:$PORT with its data under $WORK/kafka;
# 3. for each worker count K: topics, group and offer budget of their own (bench-K.*), K workers started and given
#    their partitions, then `valuetier kafka bench --events $EVENTS --rate $RATE`: the events of random sample
#    customers go in, each is cleaned, stored, scored from the customer's stored lines, decided, recorded and answered
#    on the actions topic; the figures are read there, read committed (RESULT lines, JSON); with WARMUP=N, N events
#    go through the workers at full speed first and are not measured (the JIT warm, the pools full, as in a worker
#    that has run for a while);
# 4. the workers stop (SIGTERM); the load average before and after each round is printed beside its figures.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${EVENTS:-100000}
RATE=${RATE:-0}
WARMUP=${WARMUP:-0}
WORKERS=${WORKERS:-"1 2"}
PARTITIONS=${PARTITIONS:-12}
PORT=${PORT:-19092}
CONTROLLER_PORT=${CONTROLLER_PORT:-19093}
KEEP=${KEEP:-false}
WORK=${WORK:-$(mktemp -d /tmp/valuetier-kafka-load.XXXXXX)}
DB=valuetier_kbench_$$

command -v mysql >/dev/null || { echo "needs the mysql client (mariadb-client) and MariaDB on 127.0.0.1:3306" >&2; exit 2; }
mysql -h 127.0.0.1 -u root -e "CREATE DATABASE $DB"
export VALUETIER_DB_URL="jdbc:mysql://127.0.0.1:3306/$DB" VALUETIER_DB_USER=root VALUETIER_DB_PASSWORD=
export VALUETIER_RUN_REPORT="$WORK/report.html" VALUETIER_PUBLISH_FOLDER="$WORK/actions"
export VALUETIER_MODEL_REGISTRY_DIR="$WORK/models"
export VALUETIER_KAFKA_BROKER_DIR="$WORK/kafka" VALUETIER_KAFKA_BROKER_PORT=$PORT
export VALUETIER_KAFKA_BROKER_CONTROLLER_PORT=$CONTROLLER_PORT VALUETIER_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$PORT
export VALUETIER_KAFKA_PARTITIONS=$PARTITIONS

# CPU seconds used so far by a process and its children (utime + stime of /proc/PID/stat, in clock ticks)
cpu() {
  local t=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    [[ -r /proc/$p/stat ]] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$t"
}
hz=$(getconf CLK_TCK)
store_pid=$(pidof mariadbd || pidof mysqld || echo 0)

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ "$KEEP" == true ]] || mysql -h 127.0.0.1 -u root -e "DROP DATABASE IF EXISTS $DB" || true
}
trap cleanup EXIT

echo "== store $DB: the main job on the sample ($WORK/run.log)"
./valuetier run > "$WORK/run.log" 2>&1 || { tail -20 "$WORK/run.log"; exit 1; }
tail -2 "$WORK/run.log"

echo "== broker on 127.0.0.1:$PORT ($WORK/kafka)"
./valuetier kafka > "$WORK/broker.out" 2>&1 &
broker=$!
pids+=("$broker")
for _ in $(seq 1 240); do grep -q "^Kafka broker on" "$WORK/broker.out" && break; sleep 0.5; done
grep -q "^Kafka broker on" "$WORK/broker.out" || { tail -20 "$WORK/broker.out"; exit 1; }

for k in $WORKERS; do
  export VALUETIER_KAFKA_TOPIC_TRANSACTIONS=bench-$k.transactions VALUETIER_KAFKA_TOPIC_ACTIONS=bench-$k.actions
  export VALUETIER_KAFKA_TOPIC_DEAD_LETTER=bench-$k.dead-letter VALUETIER_KAFKA_GROUP=bench-$k
  export VALUETIER_KAFKA_TRANSACTIONAL_ID_PREFIX=bench-$k VALUETIER_KAFKA_BUDGET_ID=bench-$k
  echo "== $k worker(s), $EVENTS events, rate ${RATE:-0} (0: all at once)"
  round=()
  for i in $(seq 1 "$k"); do
    VALUETIER_JAVA_OPTS="${WORKER_JAVA_OPTS:-}" ./valuetier worker --name "b$k-$i" > "$WORK/worker-$k-$i.out" 2>&1 &
    round+=("$!")
    pids+=("$!")
  done
  # every worker owns partitions, and the last assignment is a few seconds old (no rebalance in the measurement)
  for _ in $(seq 1 240); do
    owning=0
    for i in $(seq 1 "$k"); do grep -q " owns \[" "$WORK/worker-$k-$i.out" && owning=$((owning + 1)); done
    [[ $owning == "$k" ]] && break
    sleep 0.5
  done
  [[ $owning == "$k" ]] || { tail -20 "$WORK"/worker-$k-*.out; exit 1; }
  sleep 8
  if ((WARMUP > 0)); then
    echo "warm-up: $WARMUP events at full speed, not measured"
    ./valuetier kafka bench --events "$WARMUP" --rate 0 --json > "$WORK/warmup-$k.json" \
      || { cat "$WORK/warmup-$k.json"; tail -20 "$WORK"/worker-$k-*.out; exit 1; }
    sleep 3
  fi
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  w0=0; for p in "${round[@]}"; do w0=$((w0 + $(cpu "$p"))); done
  b0=$(cpu "$broker"); s0=$(cpu "$store_pid")
  ./valuetier kafka bench --events "$EVENTS" --rate "$RATE" --json > "$WORK/bench-$k.json" \
    || { cat "$WORK/bench-$k.json"; tail -20 "$WORK"/worker-$k-*.out; exit 1; }
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  w1=0; for p in "${round[@]}"; do w1=$((w1 + $(cpu "$p"))); done
  b1=$(cpu "$broker"); s1=$(cpu "$store_pid")
  # CPU milliseconds per event of the workers (all K together), the broker and MariaDB during the measurement
  awk -v w=$((w1 - w0)) -v b=$((b1 - b0)) -v s=$((s1 - s0)) -v n="$EVENTS" -v hz="$hz" 'BEGIN {
    printf "CPU ms per event: workers %.2f, broker %.2f, MariaDB %.2f\n", w * 1000 / hz / n, b * 1000 / hz / n,
      s * 1000 / hz / n }'
  echo "RESULT workers=$k $(cat "$WORK/bench-$k.json")"
  for p in "${round[@]}"; do kill "$p"; done
  for p in "${round[@]}"; do wait "$p" || true; done
  tail -q -n 1 "$WORK"/worker-$k-*.out
done
