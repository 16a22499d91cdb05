#!/usr/bin/env bash
# Requests per second of POST /diagnose beside the ceiling ASP.NET Core allows on this machine, measured
# in one run: a bare minimal API (bench/MinimalApi: binds a small JSON body, answers ~1 KB of JSON) and
# the service, both published Release, each loaded in turn by wrk (2 threads, 64 connections, a warm-up,
# then 3 runs of 10 s). Prints rps, the share of the ceiling, p50 and p99 per kind of work.
# The per-client rate limit and the offline queue are raised for the run: they are what is measured
# against, not what is measured. Usage: bench/api-throughput.sh [SECONDS-PER-RUN]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk"; exit 1; }
seconds=${1:-10}
out=bench/out/throughput
mkdir -p "$out"
dotnet publish bench/MinimalApi -c Release -o "$out/minimal" >/dev/null
dotnet publish src/Api -c Release -o "$out/api" >/dev/null

# The bodies: a fixture, and the sample zone with two names (the README's examples).
printf '{"fixture":"healthy"}' > "$out/fixture.json"
python3 - "$out/zone.json" <<'PY'
import json, sys
zone = open("samples/example.com.zone").read()
json.dump({"zoneFile": zone, "domains": ["example.com", "www.example.com"]}, open(sys.argv[1], "w"))
PY
for body in fixture zone; do
  cat > "$out/$body.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$out/$body.json"); wrk.body = f:read("*a"); f:close()
LUA
done

pid=""
stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=""; return 0; }
trap stop EXIT
start() { # start PORT COMMAND...: starts a server and waits until it answers
  local port=$1; shift
  "$@" --urls "http://127.0.0.1:$port" >"$out/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0; sleep 0.1; done
  echo "server on $port did not start:"; cat "$out/server.log"; exit 1
}

# run LABEL URL BODY: warm-up, then 3 runs; the best run's rps, p50 and p99
run() {
  local label=$1 url=$2 body=$3 best=0 p50="" p99="" errors=0
  wrk -t2 -c64 -d3s -s "$out/$body.lua" "$url" >/dev/null
  for _ in 1 2 3; do
    wrk -t2 -c64 -d"${seconds}s" --latency -s "$out/$body.lua" "$url" > "$out/wrk.txt"
    local rps; rps=$(awk '/^Requests\/sec/ {print int($2)}' "$out/wrk.txt")
    local bad; bad=$(awk '/Non-2xx/ {print $5}' "$out/wrk.txt"); errors=$((errors + ${bad:-0}))
    if [ "$rps" -gt "$best" ]; then
      best=$rps
      p50=$(awk '$1 == "50%" {print $2}' "$out/wrk.txt")
      p99=$(awk '$1 == "99%" {print $2}' "$out/wrk.txt")
    fi
  done
  results+=("$label|$best|$p50|$p99|$errors")
}

results=()
start 5091 dotnet "$out/minimal/RulesApi.MinimalApi.dll"
run "ceiling: minimal API" http://127.0.0.1:5091/diagnose fixture
stop
Api__Limits__RequestsPerMinute=100000000 Api__Limits__OfflineQueue=10000 Logging__LogLevel__Default=Warning \
  start 5092 dotnet "$out/api/RulesApi.Api.dll"
run "fixture healthy" http://127.0.0.1:5092/diagnose fixture
run "sample zone + 2 names" http://127.0.0.1:5092/diagnose zone
stop

ceiling=$(echo "${results[0]}" | cut -d'|' -f2)
printf "%-24s %9s %9s %9s %9s %6s\n" work rps "ceiling" p50 p99 "non-2xx"
for line in "${results[@]}"; do
  IFS='|' read -r label rps p50 p99 errors <<<"$line"
  printf "%-24s %9d %8d%% %9s %9s %6d\n" "$label" "$rps" $((100 * rps / ceiling)) "$p50" "$p99" "$errors"
done
