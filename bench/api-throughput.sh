#!/usr/bin/env bash
# Requests per second of POST /diagnose beside the ceiling ASP.NET Core allows on this machine, measured
# in one run: a bare minimal API (bench/MinimalApi: binds a small JSON body, answers ~1 KB of JSON) and
# the service, both published Release and both running at once, loaded by wrk (2 threads, 64 connections)
# after a warm-up each, in 3 rounds of ceiling, fixture, sample zone (10 s each): the rounds interleave, so a
# change in the shared machine's speed falls on the ceiling and the service alike instead of on one of them
# (run one after the other, the share of the ceiling moved by a tenth between runs). Prints the best round's
# rps, the share of the ceiling, p50 and p99 per kind of work, and the server's CPU time per request (the least
# of the 3 rounds, from /proc: what a change costs or saves, even when load moves rps).
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
source bench/servers.sh
throughput_bodies "$out"

pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done; return 0; }
trap stop EXIT
start() { # start NAME PORT COMMAND...: starts a server and waits until it answers; its pid in $started
  local name=$1 port=$2; shift 2
  port_must_be_free "$port"
  "$@" --urls "http://127.0.0.1:$port" >"$out/$name.log" 2>&1 &
  started=$!
  pids+=("$started")
  wait_until_up "$name" "$port" "$started" "$out/$name.log"
}

# A server's CPU time so far, in clock ticks (user + system, /proc/PID/stat fields 14 and 15).
server_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tick_us=$((1000000 / $(getconf CLK_TCK)))

# Per kind of work: the best round's rps, p50 and p99, the non-2xx answers of all rounds, the least CPU per request.
declare -A best p50 p99 errors cpu

# once KIND PID URL BODY: one round of one kind of work
once() {
  local kind=$1 server=$2 url=$3 body=$4
  local before; before=$(server_ticks "$server")
  wrk -t2 -c64 -d"${seconds}s" --latency -s "$out/$body.lua" "$url" > "$out/wrk.txt"
  local spent=$(( ($(server_ticks "$server") - before) * tick_us ))
  local rps; rps=$(awk '/^Requests\/sec/ {print int($2)}' "$out/wrk.txt")
  local requests; requests=$(awk '/requests in/ {print $1}' "$out/wrk.txt")
  local bad; bad=$(awk '/Non-2xx/ {print $5}' "$out/wrk.txt")
  errors[$kind]=$(( ${errors[$kind]:-0} + ${bad:-0} ))
  if [ "${requests:-0}" -gt 0 ]; then
    local per=$((spent / requests))
    if [ -z "${cpu[$kind]:-}" ] || [ "$per" -lt "${cpu[$kind]}" ]; then cpu[$kind]=$per; fi
  fi
  if [ "$rps" -gt "${best[$kind]:-0}" ]; then
    best[$kind]=$rps
    p50[$kind]=$(awk '$1 == "50%" {print $2}' "$out/wrk.txt")
    p99[$kind]=$(awk '$1 == "99%" {print $2}' "$out/wrk.txt")
  fi
}

start minimal 5091 dotnet "$out/minimal/RulesApi.MinimalApi.dll"; minimal=$started
Api__Limits__RequestsPerMinute=100000000 Api__Limits__OfflineQueue=10000 Logging__LogLevel__Default=Warning \
  start api 5092 dotnet "$out/api/RulesApi.Api.dll"; api=$started

kinds=("ceiling: minimal API" "fixture healthy" "sample zone + 2 names")
servers=("$minimal" "$api" "$api")
urls=(http://127.0.0.1:5091/diagnose http://127.0.0.1:5092/diagnose http://127.0.0.1:5092/diagnose)
bodies=(fixture fixture zone)
# Warm-up: JIT and tiered compilation of each kind's code, before anything is counted.
for i in 0 1 2; do wrk -t2 -c64 -d5s -s "$out/${bodies[$i]}.lua" "${urls[$i]}" >/dev/null; done
for _ in 1 2 3; do
  for i in 0 1 2; do once "${kinds[$i]}" "${servers[$i]}" "${urls[$i]}" "${bodies[$i]}"; done
done

ceiling=${best[${kinds[0]}]}
printf "%-24s %9s %9s %9s %9s %6s %13s\n" work rps "ceiling" p50 p99 "non-2xx" "server µs/req"
for kind in "${kinds[@]}"; do
  printf "%-24s %9d %8d%% %9s %9s %6d %13d\n" "$kind" "${best[$kind]}" $((100 * best[$kind] / ceiling)) "${p50[$kind]}" "${p99[$kind]}" \
    "${errors[$kind]}" "${cpu[$kind]:-0}"
done
