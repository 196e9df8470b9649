#!/usr/bin/env bash
# The HTTP ingest benchmark: the sample server (H2 journal, default durability), the sample
# server with `durability: sync`, and a bare Jetty 12 handler that only verifies the HMAC and
# parses the JSON, each loaded by wrk on loopback with the same 8.8 KB signed GitHub push, in one
# run. Prints req/s, p50/p99 latency and server CPU time per request for each.
#
# Usage: benchmarks/wrk/run.sh [seconds=30] [connections=32] [threads=2]
# Needs: wrk and openssl (Debian packages), Java 17.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-30}
CONNECTIONS=${2:-32}
THREADS=${3:-2}
WARMUP=${WARMUP:-15}

./mvnw -q -pl samples/hooks-server,benchmarks -am package -DskipTests -Dmdep.analyze.skip=true

export BODY_FILE=$PWD/benchmarks/src/main/resources/github-push-8k.json
SECRET=bench-secret-$(date +%s)
export SIGNATURE="sha256=$(openssl dgst -sha256 -hmac "$SECRET" -r <"$BODY_FILE" | cut -d' ' -f1)"
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
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

# bench NAME PORT PATH PID
bench() {
  local name=$1 port=$2 path=$3 pid=$4
  wait_port "$port"
  HOOK_PATH=$path wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s benchmarks/wrk/github-push.lua "http://127.0.0.1:$port" >/dev/null
  local before after line requests
  before=$(cpu_ticks "$pid")
  line=$(HOOK_PATH=$path wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s benchmarks/wrk/github-push.lua \
    "http://127.0.0.1:$port" | grep '^RESULT')
  after=$(cpu_ticks "$pid")
  requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
  awk -v n="$name" -v l="$line" -v t=$((after - before)) -v hz="$TICKS" -v r="$requests" \
    'BEGIN { printf "%-22s %s cpu_us_per_req=%.1f\n", n, substr(l, 8), t * 1e6 / hz / r }'
}

start_hooks() { # NAME PORT DURABILITY
  mkdir -p "$WORK/$1"
  cat >"$WORK/$1/hooks.yaml" <<YAML
endpoints:
  - id: github
    provider: github
    verifier:
      scheme: github
      secrets: ["\${GITHUB_WEBHOOK_SECRET}"]
journal:
  durability: $3
routes:
  - name: log
    handlers: [log]
handlers:
  log:
    type: log
YAML
  GITHUB_WEBHOOK_SECRET=$SECRET java -jar samples/hooks-server/target/hooks-server.jar \
    --config "$WORK/$1/hooks.yaml" --port "$2" --data "$WORK/$1/data" >"$WORK/$1/out.log" 2>&1 &
  HOOKS=$!
}

echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (after ${WARMUP}s warm-up), 8.8 KB signed GitHub push, $(nproc) cores"

java -cp benchmarks/target/benchmarks.jar dev.hooks.bench.BareJettyServer 18181 "$SECRET" >"$WORK/bare.log" 2>&1 &
BARE=$!
bench "bare jetty handler" 18181 / $BARE
kill $BARE; wait $BARE 2>/dev/null || true

start_hooks os 18182 os
bench "hooks h2 (os)" 18182 /hooks/github "$HOOKS"
curl -s "http://127.0.0.1:18182/status"; echo
kill "$HOOKS"; wait "$HOOKS" 2>/dev/null || true

start_hooks sync 18183 sync
bench "hooks h2 (sync)" 18183 /hooks/github "$HOOKS"
curl -s "http://127.0.0.1:18183/status"; echo
kill "$HOOKS"; wait "$HOOKS" 2>/dev/null || true
