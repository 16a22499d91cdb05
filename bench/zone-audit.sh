#!/usr/bin/env bash
# Zone audits as users run them, beside kzonecheck (knot-dnssecutils) and named-checkzone (bind9-utils)
# on the same files, in one run:
#   - the `rulesapi audit` command as the README tells users to publish it for CI and large zones (Release,
#     for this platform: compiled ahead of time, Native AOT) on zones of 100k and 1M records from both
#     generators: bench/generate-zone.py (provider export: one owner per record) and
#     bench/generate-zone-varied.py (~380k owners per 1M records, 17% CNAMEs, 1% CAA sets);
#   - POST /diagnose of the same zones, as a JSON body and as text/dns, against the service on loopback:
#     a fresh service per row, so its RSS column is that row's peak (VmHWM over all its requests: the first, the warm-up, the 5 timed).
# Best wall time of 5 runs (for the service: after WARMUP requests, default 60, as a long-running service
# answers), peak RSS, the ratio to kzonecheck and RSS ÷ file size.
# Usage: [SIZES="100000"] [WARMUP=60] bench/zone-audit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in kzonecheck named-checkzone /usr/bin/time curl clang; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install knot-dnssecutils bind9-utils time curl clang"; exit 1; }
done
out=bench/out
mkdir -p "$out"
sizes=${SIZES:-"100000 1000000"}   # the record counts of the zones
# Requests a fresh service answers before a POST row is timed. .NET compiles a method called once per request twice
# before its final code, each time after ~30 calls (instrumented, then optimized with what the instrumentation saw):
# after 20 requests the compiler thread still took 31% of the service's CPU through requests 31-60 of the 100k varied
# JSON row (perf), which then took 47-134 ms a request; after 60, 41-64 ms.
warmup=${WARMUP:-60}
case "$(uname -m)" in aarch64 | arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac
dotnet publish src/Cli -c Release -r "$rid" -o "$out/cli" >/dev/null
dotnet publish src/Api -c Release -o "$out/api" >/dev/null

# best_of COMMAND...: runs it 5 times as a whole process; the best wall time in $best, the peak RSS in $rss_kb.
# Exit 0 or 1 (findings) is an answer; anything else (a missing program, a crash) stops the benchmark rather than
# timing a failure.
best_of() {
  best="" rss_kb=0
  for _ in 1 2 3 4 5; do
    local status=0 started secs
    # Wall time from the clock in nanoseconds: time's own (%e) counts in hundredths, a sixth of a 60 ms audit.
    started=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt" || status=$?
    secs=$(awk "BEGIN{printf \"%.3f\", ($(date +%s%N) - $started) / 1e9}")
    if [ "$status" -gt 1 ]; then
      echo "$* exited with $status:"; cat "$out/stderr.txt"; exit 1
    fi
    # The last line: time writes "Command exited with non-zero status 1" first when the audit found something.
    read -r kb < <(tail -n 1 "$out/time.txt")
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
    if [ "$kb" -gt "$rss_kb" ]; then rss_kb=$kb; fi
  done
}

ratio() { awk "BEGIN{printf \"%.2f\", $1 / $2}"; }

api_pid=""
trap '[ -n "$api_pid" ] && kill $api_pid 2>/dev/null' EXIT
# start_api / stop_api: one service per POST row, so that its peak RSS (VmHWM) belongs to that row alone.
start_api() {
  Api__Limits__RequestsPerMinute=100000000 Api__MaxBodyBytes=400000000 Api__DeadlineSeconds=300 Logging__LogLevel__Default=Warning \
    dotnet "$out/api/RulesApi.Api.dll" --urls http://127.0.0.1:5093 >"$out/api.log" 2>&1 &
  api_pid=$!
  for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:5093/health/live && break; sleep 0.1; done
}
stop_api() {
  rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$api_pid/status)
  kill $api_pid; wait $api_pid 2>/dev/null || true; api_pid=""
}

# post_row LABEL CURL-ARGS...: a fresh service, one request that must answer 200 (else the row says so
# instead of timing an error), then the best of 5; RSS is the service's peak over all of them.
post_row() {
  local label=$1 code
  shift
  start_api
  code=$(curl -s -o /dev/null -w '%{http_code}' "$@" || true)
  if [ "$code" != 200 ]; then
    stop_api
    printf "%-10s %-9s %-22s answered HTTP %s, not timed\n" "${generator#generate-}" "$size" "$label" "$code"
    return
  fi
  # A service runs for days: it is measured warm, as it answers once its code is compiled for the load
  # (.NET recompiles hot methods after about 30 calls). The first answer above is the cold one.
  for _ in $(seq "$warmup"); do curl -sf -o /dev/null "$@" || true; done
  best_of curl -sf -o /dev/null "$@"
  stop_api
  row "$label"
}

echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-10s %-9s %-22s %8s %9s %8s %10s\n" generator records tool "wall s" "RSS MiB" "× kzone" "RSS÷file"
for generator in generate-zone generate-zone-varied; do
  for size in $sizes; do
    zone="$out/$generator-$size.db"
    [ -f "$zone" ] || python3 "bench/$generator.py" "$size" "$zone"
    file_kb=$(( $(stat -c %s "$zone") / 1024 ))
    row() { printf "%-10s %-9s %-22s %8s %9d %8s %10s\n" "${generator#generate-}" "$size" "$1" "$best" $((rss_kb / 1024)) "$(ratio "$best" "$kzone")" "$(ratio "$rss_kb" "$file_kb")"; }
    best_of kzonecheck -o example.com "$zone"; kzone=$best; row kzonecheck
    best_of named-checkzone -i local -k ignore example.com "$zone"; row named-checkzone
    best_of "$out/cli/rulesapi" audit "$zone" --origin example.com --format json; row "rulesapi audit"
    python3 -c 'import json,sys; json.dump({"zoneFile": open(sys.argv[1]).read(), "origin": "example.com"}, open(sys.argv[2], "w"))' "$zone" "$out/body.json"
    post_row "POST JSON" -H 'Content-Type: application/json' --data-binary @"$out/body.json" http://127.0.0.1:5093/diagnose
    post_row "POST text/dns" -H 'Content-Type: text/dns' --data-binary @"$zone" 'http://127.0.0.1:5093/diagnose?origin=example.com'
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
