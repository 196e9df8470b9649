#!/usr/bin/env bash
# The HTTP ingest benchmark, in one run: a bare Jetty 12 handler that only verifies the HMAC and
# parses the JSON, then the sample server with its default embedded journal (hooks-embedded,
# durability os and sync), with its journal on the H2 file (journal.type jdbc, os) and, when
# Debian's PostgreSQL server is installed, on PostgreSQL (os and sync). Each
# is loaded by wrk on loopback with the same 8.8 KB signed GitHub push, every request with its
# own X-GitHub-Delivery. Prints req/s, p50/p99 latency, answers by status, the server's CPU time
# per request and PostgreSQL's (all its processes). Each server is warmed up first, for WARMUP
# seconds (30 by default) and then on until its JIT compilers take under 3% of its CPU (at most
# WARMUP_MAX, 300 s): on two busy cores a server with more code to compile needs minutes.
#
# PostgreSQL is Debian's server package, started here on a throw-away data directory on port
# 55432 with its default settings, on the same machine. Set PG=0 to skip it.
#
# The same load goes to samples/spring-boot-app (hooks-spring-starter on Spring MVC's Tomcat, its
# embedded journal, durability os, no handler) when STARTER=1 (the default; 0 skips it). Before
# the load runs, the start-up time of hooks-server and of the Spring Boot sample is measured:
# from the JVM's launch to the first 202 of a signed push.
#
# ONLY=pg runs the PostgreSQL servers alone (no bare handler, embedded, H2 or no-journal runs);
# SERVER_JAR=path runs that hooks-server jar instead of the one built here (to compare builds).
#
# Usage: benchmarks/wrk/run.sh [seconds=30] [connections=32] [wrk threads=2]
# Needs: wrk and openssl (and postgresql for the PostgreSQL runs), Java 17.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-30}
CONNECTIONS=${2:-32}
THREADS=${3:-2}
WARMUP=${WARMUP:-30}
WARMUP_MAX=${WARMUP_MAX:-300}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)}
PG=${PG:-$([ -x "$PG_BIN/initdb" ] && echo 1 || echo 0)}
PG_PORT=${PG_PORT:-55432}
ONLY=${ONLY:-all}
STARTER=${STARTER:-1}

if [ -z "${SERVER_JAR:-}" ] || [ "$ONLY" != pg ]; then
  ./mvnw -q -pl samples/hooks-server,benchmarks$([ "$STARTER" = 1 ] && echo ,samples/spring-boot-app) -am package \
    -DskipTests -Dmdep.analyze.skip=true
fi
SERVER_JAR=${SERVER_JAR:-samples/hooks-server/target/hooks-server.jar}
STARTER_JAR=samples/spring-boot-app/target/spring-boot-app.jar

export BODY_FILE=$PWD/benchmarks/src/main/resources/github-push-8k.json
SECRET=bench-secret-$(date +%s)
export SIGNATURE="sha256=$(openssl dgst -sha256 -hmac "$SECRET" -r <"$BODY_FILE" | cut -d' ' -f1)"
WORK=$(mktemp -d)
chmod 755 "$WORK"
stop_pg() { [ "$PG" = 1 ] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m fast stop >/dev/null 2>&1 || true; }
trap 'kill $(jobs -p) 2>/dev/null || true; stop_pg; rm -rf "$WORK"' EXIT
TICKS=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# CPU of this benchmark's PostgreSQL: its postmaster (with the exited backends it reaped) and
# every child (backends, WAL writer, checkpointer...). Other PostgreSQL servers on the machine
# are not counted.
pg_ticks() {
  local t=0 p master
  [ "$PG" = 1 ] && [ -f "$WORK/pg/data/postmaster.pid" ] || { echo 0; return; }
  master=$(head -1 "$WORK/pg/data/postmaster.pid")
  for p in "$master" $(pgrep -P "$master"); do
    t=$((t + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo $t
}

wait_port() {
  for _ in $(seq 1 120); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "nothing listens on port $1" >&2
  return 1
}

# CPU ticks of the JIT compiler threads of PID (C1 and C2).
compiler_ticks() {
  local t=0 task
  for task in /proc/"$1"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in
      C1\ CompilerThre*|C2\ CompilerThre*) t=$((t + $(awk '{print $14 + $15}' "$task/stat"))) ;;
    esac
  done
  echo $t
}

# Loads PORT for at least WARMUP seconds, then on in 10 s steps until the JIT compilers took
# under 3% of the server's CPU in the last step (at most WARMUP_MAX seconds): the measured run
# then sees compiled code, whatever the amount of code each server has to compile.
warm_up() { # PORT PATH PID
  local waited=0 c0 c1 a0 a1 step=$WARMUP
  while :; do
    c0=$(compiler_ticks "$3"); a0=$(cpu_ticks "$3")
    HOOK_PATH=$2 wrk -t"$THREADS" -c"$CONNECTIONS" -d"${step}s" -s benchmarks/wrk/github-push.lua "http://127.0.0.1:$1" >/dev/null
    c1=$(compiler_ticks "$3"); a1=$(cpu_ticks "$3")
    waited=$((waited + step)); step=10
    if [ $(((c1 - c0) * 100)) -lt $((3 * (a1 - a0))) ] || [ "$waited" -ge "$WARMUP_MAX" ]; then break; fi
  done
  echo "warmup_s=$waited jit_pct=$(((c1 - c0) * 100 / (a1 - a0 + 1)))"
}

bench() { # NAME PORT PATH PID
  local name=$1 port=$2 path=$3 pid=$4
  wait_port "$port"
  local warm before after db_before db_after line requests
  warm=$(warm_up "$port" "$path" "$pid")
  before=$(cpu_ticks "$pid")
  db_before=$(pg_ticks)
  line=$(HOOK_PATH=$path wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s benchmarks/wrk/github-push.lua \
    "http://127.0.0.1:$port" | grep '^RESULT')
  after=$(cpu_ticks "$pid")
  db_after=$(pg_ticks)
  requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
  awk -v n="$name" -v l="$line" -v w="$warm" -v t=$((after - before)) -v d=$((db_after - db_before)) -v hz="$TICKS" -v r="$requests" \
    'BEGIN { printf "%-20s %s cpu_us_per_req=%.1f pg_cpu_us_per_req=%.1f %s\n", n, substr(l, 8), t * 1e6 / hz / r, d * 1e6 / hz / r, w }'
}

# Milliseconds from now until PORT answers a signed push with 202 (polled every 20 ms).
first_202() { # PORT PATH START_NS
  local code i=0
  while :; do
    i=$((i + 1))
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X POST "http://127.0.0.1:$1$2" \
      -H 'Content-Type: application/json' -H 'X-GitHub-Event: push' -H "X-GitHub-Delivery: start-$1-$i" \
      -H "X-Hub-Signature-256: $SIGNATURE" --data-binary "@$BODY_FILE" 2>/dev/null || true)
    [ "$code" = 202 ] && break
    [ $i -gt 3000 ] && { echo "no 202 on port $1" >&2; return 1; }
    sleep 0.02
  done
  echo $((($(date +%s%N) - $3) / 1000000))
}

# The Spring Boot sample with only a GitHub endpoint and its embedded journal in WORK/PORT.
starter() { # PORT
  mkdir -p "$WORK/$1"
  cat >"$WORK/$1/application.yml" <<YAML
hooks:
  endpoints:
    github:
      provider: github
      secret: \${GITHUB_WEBHOOK_SECRET}
  journal:
    data-dir: $WORK/$1/data
management:
  endpoints:
    web:
      exposure:
        include: health
YAML
  GITHUB_WEBHOOK_SECRET=$SECRET java -jar "$STARTER_JAR" --server.port="$1" \
    --spring.config.location="file:$WORK/$1/application.yml" >"$WORK/$1/out.log" 2>&1 &
}

hooks() { # NAME PORT DURABILITY TYPE [JDBC_URL USER]
  mkdir -p "$WORK/$2"
  cat >"$WORK/$2/hooks.yaml" <<YAML
endpoints:
  - id: github
    provider: github
    verifier:
      scheme: github
      secrets: ["\${GITHUB_WEBHOOK_SECRET}"]
journal:
  type: $4
$(if [ -n "${5:-}" ]; then printf '  url: "%s"\n  user: "%s"\n' "$5" "$6"; fi)
  durability: $3
routes:
  - name: log
    handlers: [log]
handlers:
  log:
    type: log
YAML
  GITHUB_WEBHOOK_SECRET=$SECRET java -jar "$SERVER_JAR" \
    --config "$WORK/$2/hooks.yaml" --port "$2" --data "$WORK/$2/data" >"$WORK/$2/out.log" 2>&1 &
  local pid=$!
  bench "$1" "$2" /hooks/github "$pid"
  echo "  status: $(curl -s "http://127.0.0.1:$2/status")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (after ${WARMUP}..${WARMUP_MAX}s warm-up), 8.8 KB signed GitHub push, $(nproc) cores"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$ONLY" != pg ]; then
  # Start-up: hooks-server with its defaults (embedded journal), then the Spring Boot sample.
  mkdir -p "$WORK/start"
  printf 'endpoints:\n  - id: github\n    provider: github\n    verifier:\n      scheme: github\n      secrets: ["${GITHUB_WEBHOOK_SECRET}"]\n' \
    >"$WORK/start/hooks.yaml"
  t0=$(date +%s%N)
  GITHUB_WEBHOOK_SECRET=$SECRET java -jar "$SERVER_JAR" --config "$WORK/start/hooks.yaml" --port 18190 \
    --data "$WORK/start/data" >"$WORK/start/out.log" 2>&1 &
  pid=$!
  echo "start-up hooks-server: $(first_202 18190 /hooks/github "$t0") ms to the first 202"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  if [ "$STARTER" = 1 ]; then
    t0=$(date +%s%N)
    starter 18191
    pid=$!
    echo "start-up spring boot sample: $(first_202 18191 /hooks/github "$t0") ms to the first 202"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  fi

  java -cp benchmarks/target/benchmarks.jar dev.hooks.bench.BareJettyServer 18181 "$SECRET" >"$WORK/bare.log" 2>&1 &
  BARE=$!
  bench "bare jetty handler" 18181 / $BARE
  kill $BARE; wait $BARE 2>/dev/null || true

  hooks "hooks embedded (os)" 18182 os embedded
  hooks "hooks embedded (sync)" 18183 sync embedded
  hooks "hooks h2 (os)" 18186 os jdbc
  hooks "hooks no journal" 18187 os memory
  if [ "$STARTER" = 1 ]; then
    starter 18188
    pid=$!
    bench "spring starter (os)" 18188 /hooks/github "$pid"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  fi
fi

if [ "$PG" = 1 ]; then
  mkdir -p "$WORK/pg" && chown postgres "$WORK/pg"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust >/dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" \
    -o "-p $PG_PORT -k $WORK/pg -c max_connections=100" -w start >/dev/null
  echo "$("$PG_BIN/postgres" --version)"
  hooks "hooks pg (os)" 18184 os jdbc "jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" postgres
  hooks "hooks pg (sync)" 18185 sync jdbc "jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" postgres
  # Row writes of both runs by table: an update that is not HOT (n_tup_upd - n_tup_hot_upd) wrote
  # a new entry into every index of its table.
  runuser -u postgres -- "$PG_BIN/psql" -h "$WORK/pg" -p "$PG_PORT" -U postgres -d postgres -q -c \
    "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_user_tables WHERE relname LIKE 'hooks_%' ORDER BY relname"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
