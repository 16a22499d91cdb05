#!/usr/bin/env bash
# Before and after a change, measured side by side: the service built from a git revision (the "before") and from the
# working tree (the "after") run at once on loopback, and wrk loads them in turn, a few seconds each, round after round.
# On a shared machine whose speed moves by a third within minutes, two runs one after the other compare the machine's
# two moods as much as the two builds; alternating in short rounds gives both builds the same moods. Prints, for the
# fixture and the sample zone with two names (bench/api-throughput.sh's bodies), each build's median rps, median
# server CPU per request (from /proc) and median p99 over the rounds, and the after/before ratios of the medians.
# Usage: bench/api-ab.sh [REVISION (default HEAD)] [ROUNDS (default 6)] [SECONDS-PER-ROUND (default 4)]
# AFTER_ENV="NAME=value ..." starts the "after" service with those variables too: with REVISION HEAD and a clean tree, it
# compares a runtime setting (DOTNET_gcServer=0, say) on one build.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk"; exit 1; }
revision=${1:-HEAD}
rounds=${2:-6}
seconds=${3:-4}
out=bench/out/ab
rm -rf "$out"
mkdir -p "$out"

# The "before": the revision checked out beside the tree (a detached worktree, removed at the end).
git worktree add --detach "$out/before-src" "$revision" >/dev/null 2>&1
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  git worktree remove --force "$out/before-src" >/dev/null 2>&1 || true
}
trap stop EXIT
dotnet publish "$out/before-src/src/Api" -c Release -o "$out/before" >/dev/null
dotnet publish src/Api -c Release -o "$out/after" >/dev/null

# The bodies: a fixture, and the sample zone with two names.
source bench/throughput-bodies.sh
source bench/servers.sh
throughput_bodies "$out"

# The per-client rate limit and the offline queue are raised, as in bench/api-throughput.sh: they are what is measured
# against, not what is measured.
start() { # start BUILD PORT [NAME=value...]: starts a build's service and waits until it answers; its pid in $started
  local build=$1 port=$2; shift 2
  port_must_be_free "$port"
  env Api__Limits__RequestsPerMinute=100000000 Api__Limits__OfflineQueue=10000 Logging__LogLevel__Default=Warning "$@" \
    dotnet "$out/$build/RulesApi.Api.dll" --urls "http://127.0.0.1:$port" >"$out/$build.log" 2>&1 &
  started=$!
  pids+=("$started")
  wait_until_up "$build" "$port" "$started" "$out/$build.log"
}
start before 5191; before_pid=$started
# shellcheck disable=SC2086 # AFTER_ENV is a list of assignments, split on purpose
start after 5192 ${AFTER_ENV:-}; after_pid=$started

tick_us=$((1000000 / $(getconf CLK_TCK)))
# round PID PORT BODY: one wrk run; prints "rps µs-per-request p99-ms"
round() {
  local before_ticks after_ticks requests
  before_ticks=$(awk '{print $14 + $15}' "/proc/$1/stat")
  wrk -t2 -c64 -d"${seconds}s" --latency -s "$out/$3.lua" "http://127.0.0.1:$2/diagnose" > "$out/wrk.txt"
  after_ticks=$(awk '{print $14 + $15}' "/proc/$1/stat")
  requests=$(awk '/requests in/ {print $1}' "$out/wrk.txt")
  awk -v spent=$(( (after_ticks - before_ticks) * tick_us )) -v n="${requests:-0}" '
    /^Requests\/sec/ {rps = int($2)}
    $1 == "99%" {p99 = $2; if (p99 ~ /us$/) p99 = p99 / 1000; else if (p99 ~ /ms$/) p99 = p99 + 0; else if (p99 ~ /s$/) p99 = p99 * 1000}
    /Non-2xx/ {bad = $5}
    END {if (bad > 0 || n == 0) {print "refused"; exit} printf "%d %d %.2f\n", rps, spent / n, p99}' "$out/wrk.txt"
}
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

echo "before = $revision ($(git rev-parse --short "$revision")), after = the working tree${AFTER_ENV:+ with $AFTER_ENV}; $rounds rounds of ${seconds} s each, alternating"
printf '%-22s %10s %10s %10s %10s %10s %10s\n' work "rps before" after "µs before" after "p99 before" after
for body in fixture zone; do
  # A warm-up for each: the first seconds of a process are spent compiling its hot code.
  for port in 5191 5192; do wrk -t2 -c64 -d5s -s "$out/$body.lua" "http://127.0.0.1:$port/diagnose" >/dev/null; done
  : > "$out/before.txt"; : > "$out/after.txt"
  for _ in $(seq "$rounds"); do
    round "$before_pid" 5191 "$body" >> "$out/before.txt"
    round "$after_pid" 5192 "$body" >> "$out/after.txt"
  done
  if grep -q refused "$out/before.txt" "$out/after.txt"; then
    echo "$body: some requests were not answered 200; not compared"; continue
  fi
  values=()
  for column in 1 2 3; do
    for build in before after; do values+=("$(awk -v c=$column '{print $c}' "$out/$build.txt" | median)"); done
  done
  printf '%-22s %10s %10s %10s %10s %10s %10s\n' "$body" "${values[@]}"
  awk -v a="${values[1]}" -v b="${values[0]}" -v c="${values[3]}" -v d="${values[2]}" -v body="$body" \
    'BEGIN {printf "%-22s rps after/before %.2f, server µs per request after/before %.2f\n", body, a / b, c / d}'
done
