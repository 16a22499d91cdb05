#!/usr/bin/env bash
# Zone audits as users run them, beside kzonecheck (knot-dnssecutils) and named-checkzone (bind9-utils)
# on the same files, in one run:
#   - the `rulesapi audit` command (published Release, framework-dependent, as `dotnet tool install`
#     gives it) on zones of 100k and 1M records from both generators: bench/generate-zone.py (provider
#     export: few distinct names) and bench/generate-zone-varied.py (~380k owners per 1M records, 17%
#     CNAMEs, 1% CAA sets);
#   - POST /diagnose of the 100k zones, as a JSON body and as text/dns, against the service on loopback.
# Best wall time of 5 runs, peak RSS, the ratio to kzonecheck and RSS ÷ file size. Usage: bench/zone-audit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in kzonecheck named-checkzone /usr/bin/time curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install knot-dnssecutils bind9-utils time curl"; exit 1; }
done
out=bench/out
mkdir -p "$out"
dotnet publish src/Cli -c Release -o "$out/cli" >/dev/null
dotnet publish src/Api -c Release -o "$out/api" >/dev/null

# best_of COMMAND...: runs it 5 times as a whole process; the best wall time in $best, the peak RSS in $rss_kb
best_of() {
  best="" rss_kb=0
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >/dev/null 2>&1 || true
    # The last line: time writes "Command exited with non-zero status 1" first when the audit found something.
    read -r secs kb < <(tail -n 1 "$out/time.txt")
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
    if [ "$kb" -gt "$rss_kb" ]; then rss_kb=$kb; fi
  done
}

ratio() { awk "BEGIN{printf \"%.2f\", $1 / $2}"; }

api_pid=""
trap '[ -n "$api_pid" ] && kill $api_pid 2>/dev/null' EXIT
Api__Limits__RequestsPerMinute=100000000 Api__MaxBodyBytes=200000000 Api__DeadlineSeconds=120 Logging__LogLevel__Default=Warning \
  dotnet "$out/api/RulesApi.Api.dll" --urls http://127.0.0.1:5093 >"$out/api.log" 2>&1 &
api_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:5093/health/live && break; sleep 0.1; done

printf "%-10s %-9s %-22s %8s %9s %8s %10s\n" generator records tool "wall s" "RSS MiB" "× kzone" "RSS÷file"
for generator in generate-zone generate-zone-varied; do
  for size in 100000 1000000; do
    zone="$out/$generator-$size.db"
    [ -f "$zone" ] || python3 "bench/$generator.py" "$size" "$zone"
    file_kb=$(( $(stat -c %s "$zone") / 1024 ))
    row() { printf "%-10s %-9s %-22s %8s %9d %8s %10s\n" "${generator#generate-}" "$size" "$1" "$best" $((rss_kb / 1024)) "$(ratio "$best" "$kzone")" "$(ratio "$rss_kb" "$file_kb")"; }
    best_of kzonecheck -o example.com "$zone"; kzone=$best; row kzonecheck
    best_of named-checkzone -i local -k ignore example.com "$zone"; row named-checkzone
    best_of dotnet "$out/cli/rulesapi.dll" audit "$zone" --origin example.com --format json; row "rulesapi audit"
    if [ "$size" = 100000 ]; then
      python3 -c 'import json,sys; json.dump({"zoneFile": open(sys.argv[1]).read(), "origin": "example.com"}, open(sys.argv[2], "w"))' "$zone" "$out/body.json"
      best_of curl -sf -o /dev/null -H 'Content-Type: application/json' --data-binary @"$out/body.json" http://127.0.0.1:5093/diagnose; rss_kb=0; row "POST JSON"
      best_of curl -sf -o /dev/null -H 'Content-Type: text/dns' --data-binary @"$zone" 'http://127.0.0.1:5093/diagnose?origin=example.com'; rss_kb=0; row "POST text/dns"
    fi
  done
done
echo "service RSS after the POSTs: $(( $(awk '/VmRSS/ {print $2}' /proc/$api_pid/status) / 1024 )) MiB (peak $(( $(awk '/VmHWM/ {print $2}' /proc/$api_pid/status) / 1024 )) MiB)"
