#!/usr/bin/env bash
# Requests per second of POST /diagnose beside the ceiling ASP.NET Core allows on this machine, measured
# in one run: a bare minimal API (bench/MinimalApi: binds a small JSON body, answers ~1 KB of JSON) and
# the service, both published Release, each loaded in turn by wrk (2 threads, 64 connections, a warm-up,
# then 3 runs of 10 s). Prints rps, the share of the ceiling, p50 and p99 per kind of work, and the server's CPU
# time per request (the least of the 3 runs, from /proc: what a change costs or saves, even when load moves rps).
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

# The bodies: a fixture, and the sample zone with two names.
source bench/throughput-bodies.sh
throughput_bodies "$out"

pid=""
stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=""; return 0; }
trap stop EXIT
start() { # start PORT COMMAND...: starts a server and waits until it answers
  local port=$1; shift
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "port $port is taken by another process"; exit 1; fi
  "$@" --urls "http://127.0.0.1:$port" >"$out/server.log" 2>&1 &
  pid=$!
  # The port must be free: a service left running there would answer for this one, which then dies failing to bind.
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || { echo "server on $port exited:"; cat "$out/server.log"; exit 1; }
    curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    sleep 0.1
  done
  echo "server on $port did not start:"; cat "$out/server.log"; exit 1
}

# The server's CPU time so far, in clock ticks (user + system, /proc/PID/stat fields 14 and 15).
server_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }

# run LABEL URL BODY: warm-up, then 3 runs; the best run's rps, p50 and p99, and the least server CPU per
# request of the 3 (microseconds; less sensitive to other load on the machine than rps, since wrk shares the cores)
run() {
  local label=$1 url=$2 body=$3 best=0 p50="" p99="" errors=0 cpu=""
  local tick_us=$((1000000 / $(getconf CLK_TCK)))
  wrk -t2 -c64 -d3s -s "$out/$body.lua" "$url" >/dev/null
  for _ in 1 2 3; do
    local before; before=$(server_ticks)
    wrk -t2 -c64 -d"${seconds}s" --latency -s "$out/$body.lua" "$url" > "$out/wrk.txt"
    local spent=$(( ($(server_ticks) - before) * tick_us ))
    local rps; rps=$(awk '/^Requests\/sec/ {print int($2)}' "$out/wrk.txt")
    local requests; requests=$(awk '/requests in/ {print $1}' "$out/wrk.txt")
    local bad; bad=$(awk '/Non-2xx/ {print $5}' "$out/wrk.txt"); errors=$((errors + ${bad:-0}))
    if [ "${requests:-0}" -gt 0 ]; then
      local per=$((spent / requests))
      if [ -z "$cpu" ] || [ "$per" -lt "$cpu" ]; then cpu=$per; fi
    fi
    if [ "$rps" -gt "$best" ]; then
      best=$rps
      p50=$(awk '$1 == "50%" {print $2}' "$out/wrk.txt")
      p99=$(awk '$1 == "99%" {print $2}' "$out/wrk.txt")
    fi
  done
  results+=("$label|$best|$p50|$p99|$errors|${cpu:-0}")
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
printf "%-24s %9s %9s %9s %9s %6s %13s\n" work rps "ceiling" p50 p99 "non-2xx" "server µs/req"
for line in "${results[@]}"; do
  IFS='|' read -r label rps p50 p99 errors cpu <<<"$line"
  printf "%-24s %9d %8d%% %9s %9s %6d %13d\n" "$label" "$rps" $((100 * rps / ceiling)) "$p50" "$p99" "$errors" "$cpu"
done
