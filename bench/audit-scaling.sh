#!/usr/bin/env bash
# Shows that a zone audit's cost grows linearly with the zone and its answer stays bounded: generated
# zones of 5k, 10k, 20k, 50k, 100k, 200k and 400k CAA owners (each owner's set allows only Let's Encrypt,
# so every owner is a CAA001 finding, and the SOA's timers are a zone-level TTL003) are posted one after
# the other to the service on loopback (Release build) as text/dns. Prints, per size, the wall time of
# the request, the size of the answer, the status, and time and bytes per owner as ratios against the
# 5k anchor measured in the same run (1.0 = linear). The service's own deadline and request timeout are
# raised so that the whole audit is measured, not a cut-off.
#
# Usage: bench/audit-scaling.sh
#   SIZES="5000 10000"   the owner counts (the first is the anchor)
#   MAX_TIME=300         seconds one request may take; a size that does not finish stops the run
#   API_DIR=dir          a built src/Api to run instead of building this tree's (e.g. an older commit's)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install curl python3"; exit 1; }
done
out=bench/out
mkdir -p "$out"
sizes=${SIZES:-"5000 10000 20000 50000 100000 200000 400000"}
max_time=${MAX_TIME:-300}
port=${PORT:-5391}

if [ -z "${API_DIR:-}" ]; then
  API_DIR="$out/api"
  dotnet build src/Api -c Release -o "$API_DIR" >/dev/null
fi

# The service, on loopback only, with room for the largest zone and no deadline in the way.
Api__MaxBodyBytes=$((64 * 1024 * 1024)) Api__DeadlineSeconds=$max_time Api__Limits__RequestTimeoutSeconds=$((max_time + 30)) \
  Logging__LogLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$port" \
  dotnet "$API_DIR/RulesApi.Api.dll" >"$out/audit-scaling-service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "the service did not start; see $out/audit-scaling-service.log"; exit 1; }

zone_of() {
  local owners=$1 file="$out/caa-owners-$1.zone"
  [ -f "$file" ] || python3 - "$owners" "$file" <<'EOF'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    # Refresh shorter than retry and a short expire: TTL003, a finding about the zone, not any one name.
    f.write("$ORIGIN example.com.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 300 3600 3600 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n")
    for i in range(n):
        f.write(f'o{i:06d} IN CAA 0 issue "letsencrypt.org"\n')
EOF
  echo "$file"
}

# A warm-up request so that the first size does not pay for the JIT alone.
curl -s -o /dev/null -X POST "http://127.0.0.1:$port/diagnose?origin=example.com" -H 'Content-Type: text/dns' --data-binary @"$(zone_of 1000)"

printf "%8s %9s %9s %12s %6s %9s %11s %11s\n" owners "zone KiB" "time s" "answer B" status "RSS MiB" "time/owner" "bytes/owner"
anchor_time="" anchor_bytes=""
for owners in $sizes; do
  zone=$(zone_of "$owners")
  if ! result=$(curl -s -o "$out/audit-scaling-answer.json" -w '%{time_total} %{size_download} %{http_code}' --max-time "$max_time" \
      -X POST "http://127.0.0.1:$port/diagnose?origin=example.com" -H 'Content-Type: text/dns' --data-binary @"$zone"); then
    printf "%8d %9d   did not answer within %s s; larger sizes skipped\n" "$owners" $(( $(stat -c %s "$zone") / 1024 )) "$max_time"
    break
  fi
  read -r secs bytes status <<<"$result"
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$service/status")
  if [ -z "$anchor_time" ]; then anchor_time=$secs anchor_bytes=$bytes anchor_owners=$owners; fi
  ratio_time=$(awk -v t="$secs" -v n="$owners" -v at="$anchor_time" -v an="$anchor_owners" 'BEGIN{printf "%.2f", (t / n) / (at / an)}')
  ratio_bytes=$(awk -v b="$bytes" -v n="$owners" -v ab="$anchor_bytes" -v an="$anchor_owners" 'BEGIN{printf "%.2f", (b / n) / (ab / an)}')
  printf "%8d %9d %9.2f %12d %6s %9d %11s %11s\n" "$owners" $(( $(stat -c %s "$zone") / 1024 )) "$secs" "$bytes" "$status" "$rss" "$ratio_time" "$ratio_bytes"
done
echo "(time/owner and bytes/owner: per owner, against the ${anchor_owners:-first} anchor of this run; 1.00 is linear, below 1 grows slower than the zone)"
