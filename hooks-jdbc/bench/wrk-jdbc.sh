#!/usr/bin/env bash
# The JDBC journal under HTTP load: the sample server with its journal on PostgreSQL (durability
# os and sync) and on the embedded H2 file (os), each loaded by wrk on loopback with the 8.8 KB
# signed GitHub push of benchmarks/wrk. PostgreSQL is Debian's server package (postgresql 15),
# started here on a throw-away data directory on port 55432 with its default settings, on the
# same machine. Prints req/s, latency percentiles and server CPU time per request.
#
# Usage: hooks-jdbc/bench/wrk-jdbc.sh [seconds=20] [connections=32] [threads=2]
# Needs: wrk, openssl, postgresql (Debian packages), Java 17, the sample server jar
#   (./mvnw -pl samples/hooks-server -am package -DskipTests) and hooks-jdbc's jar.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-20}
CONNECTIONS=${2:-32}
THREADS=${3:-2}
WARMUP=${WARMUP:-10}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
PG_PORT=55432
SERVER_JAR=samples/hooks-server/target/hooks-server.jar
JDBC_JAR=$(ls hooks-jdbc/target/hooks-jdbc-*.jar | grep -v -- '-tests' | head -1)

export BODY_FILE=$PWD/benchmarks/src/main/resources/github-push-8k.json
SECRET=bench-secret-$(date +%s)
export SIGNATURE="sha256=$(openssl dgst -sha256 -hmac "$SECRET" -r <"$BODY_FILE" | cut -d' ' -f1)"
WORK=$(mktemp -d)
chmod 755 "$WORK"
stop_pg() { runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m fast stop >/dev/null 2>&1 || true; }
trap 'kill $(jobs -p) 2>/dev/null || true; stop_pg; rm -rf "$WORK"' EXIT
TICKS=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

wait_port() {
  for _ in $(seq 1 120); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "nothing listens on port $1" >&2
  return 1
}

bench() { # NAME PORT PID
  local name=$1 port=$2 pid=$3
  wait_port "$port"
  HOOK_PATH=/hooks/github wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s hooks-jdbc/bench/github-push.lua "http://127.0.0.1:$port" >/dev/null
  local before after out line requests
  before=$(cpu_ticks "$pid")
  out=$(HOOK_PATH=/hooks/github wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s hooks-jdbc/bench/github-push.lua \
    "http://127.0.0.1:$port")
  after=$(cpu_ticks "$pid")
  line=$(grep '^RESULT' <<<"$out")
  requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
  awk -v n="$name" -v l="$line" -v t=$((after - before)) -v hz="$TICKS" -v r="$requests" \
    'BEGIN { printf "%-22s %s cpu_us_per_req=%.1f\n", n, substr(l, 8), t * 1e6 / hz / r }'
}

start_hooks() { # NAME PORT DURABILITY URL USER
  mkdir -p "$WORK/$1"
  cat >"$WORK/$1/hooks.yaml" <<YAML
endpoints:
  - id: github
    provider: github
    verifier:
      scheme: github
      secrets: ["\${GITHUB_WEBHOOK_SECRET}"]
journal:
$(if [ -n "$4" ]; then printf '  url: "%s"\n  user: "%s"\n' "$4" "$5"; fi)
  durability: $3
routes:
  - name: log
    handlers: [log]
handlers:
  log:
    type: log
YAML
  # hooks-jdbc's own jar first, so the server runs the journal of this checkout.
  GITHUB_WEBHOOK_SECRET=$SECRET java -cp "$JDBC_JAR:$SERVER_JAR" dev.hooks.server.HooksServer \
    --config "$WORK/$1/hooks.yaml" --port "$2" --data "$WORK/$1/data" >"$WORK/$1/out.log" 2>&1 &
  HOOKS=$!
}

mkdir -p "$WORK/pg" && chown postgres "$WORK/pg"
runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -o "-p $PG_PORT -k $WORK/pg -c max_connections=100" -w start >/dev/null
PG_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres"

echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (after ${WARMUP}s warm-up), 8.8 KB signed GitHub push, $(nproc) cores, $("$PG_BIN/postgres" --version)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

run() { # NAME PORT DURABILITY URL USER
  start_hooks "$1" "$2" "$3" "$4" "$5"
  bench "$1" "$2" "$HOOKS"
  curl -s "http://127.0.0.1:$2/status"; echo
  kill "$HOOKS"; wait "$HOOKS" 2>/dev/null || true
}

run "hooks pg (os)" 18191 os "$PG_URL" postgres
run "hooks pg (sync)" 18192 sync "$PG_URL" postgres
run "hooks h2 (os)" 18193 os "" ""
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
