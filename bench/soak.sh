#!/usr/bin/env bash
# A soak you can rerun: the service (Release, loopback) under a mixed load for SECONDS (default 600), with
# 64 connections through wrk (bench/soak/mix.lua rotates the requests): zone audits of a few thousand CAA
# owners, the sample zone with names, fixture scenarios, hostile requests (bad JSON, a 1 MB field, unknown
# fields, 17 parentDs, binary zone text) and live diagnoses against the loopback fixture DNS server.
# Every 15 s it samples the service's RSS, what the GC held after its last collection and had committed
# (the runtime's System.Runtime meter on /metrics), its thread count, and its count of 5xx answers other
# than 503 and of 503s. At the end it prints whether memory stayed flat (RSS at the end within 10% of the
# RSS after warm-up), whether any 5xx occurred, and the slowest request against the diagnosis deadline
# (+1 s). Then, after a minute idle, what is still alive after a full GC (dotnet-gcdump, when installed),
# beside the same measure before the load: memory held by objects, as opposed to heap the GC keeps.
#
# Warm-up is a fifth of the run (at least 30 s): the thread pool, the shared array pools and the GC's
# budgets size themselves to the load in the first minute or two, and the check is about what happens after.
#
# The diagnosis queues are raised to the number of connections and a request may wait for a slot as long as
# the deadline allows (Api:Limits:QueueWaitSeconds = the deadline; the wait is at most half of what is left
# of it), so that admission is not what is measured; a request that still finds no slot in time gets 503
# with Retry-After (that is the service keeping its deadline), counted apart. Usage: bench/soak.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
connections=64
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install -y wrk curl python3"; exit 1; }
done
out=bench/out/soak
mkdir -p "$out"
port=${PORT:-5393}
dns_port=${DNS_PORT:-5398}
deadline=10

dotnet build src/Api -c Release -o bench/out/soak-api >/dev/null
dotnet build src/FixtureServer -c Release -o bench/out/soak-fixture >/dev/null

# The requests of the mix (one file each) and their list.
python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
def write(name, text):
    with open(os.path.join(out, name), "w") as f:
        f.write(text)
zone = "$ORIGIN example.com.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 300 3600 3600 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"
write("audit.zone", zone + "".join(f'o{i:05d} IN CAA 0 issue "letsencrypt.org"\n' for i in range(3000)))
write("sample.zone", open("samples/example.com.zone").read())
write("fixture.json", json.dumps({"fixture": "caa-subdomain-override"}))
write("fixture2.json", json.dumps({"fixture": "ns-server-lags"}))
write("live.json", json.dumps({"domains": ["www.example.com", "example.com"]}))
write("bad.json", '{"domains": ["www.example.com"], ')
write("huge.json", json.dumps({"domains": ["www.example.com"], "provider": "p" * 1_000_000}))
write("unknown.json", json.dumps({"domains": ["www.example.com"], "zoneFiel": "x", "f" * 10000: 1}))
write("parentds.json", json.dumps({"zoneFile": zone, "origin": "example.com", "parentDs": ["12345 13 2 " + "AB" * 32] * 17}))
write("binary.zone", "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n\0\0\0garbage\n")
write("requests.txt", "\n".join([
    "POST /diagnose?origin=example.com text/dns audit.zone",
    "POST /diagnose?domains=www.example.com,*.example.com text/dns sample.zone",
    "POST /diagnose application/json fixture.json",
    "POST /diagnose application/json live.json",
    "POST /diagnose application/json bad.json",
    "POST /diagnose application/json fixture2.json",
    "POST /diagnose application/json huge.json",
    "POST /diagnose application/json live.json",
    "POST /diagnose application/json unknown.json",
    "POST /diagnose application/json parentds.json",
    "POST /diagnose?origin=example.com text/dns binary.zone",
]) + "\n")
PY

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

# The loopback DNS hierarchy (127.0.10.1 the root, .53 a resolver) that live diagnoses iterate.
dotnet bench/out/soak-fixture/RulesApi.FixtureServer.dll serve caa-subdomain-override --port "$dns_port" >"$out/fixture.log" 2>&1 &
pids+=($!)

Dns__AllowPrivateAddresses=true Dns__RootServers__0=127.0.10.1 Dns__Resolvers__0=127.0.10.53 Dns__QueryPort=$dns_port \
Api__DeadlineSeconds=$deadline Dns__DeadlineSeconds=$deadline Api__Metrics__Enabled=true \
Api__Limits__RequestsPerMinute=100000000 Api__Limits__LiveQueue=$connections Api__Limits__OfflineQueue=$connections Api__Limits__QueueWaitSeconds=$deadline \
Logging__LogLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$port" \
  dotnet bench/out/soak-api/RulesApi.Api.dll >"$out/service.log" 2>&1 &
service=$!
pids+=($service)
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "the service did not start; see $out/service.log"; exit 1; }

rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$service/status"; }
threads() { awk '/^Threads/ {print $2}' "/proc/$service/status"; }
# What the GC held after its last collection (all generations) and what it had committed, in MiB, from the
# runtime's own meter (System.Runtime) on the scrape: RSS growing while these stay put is not the managed heap.
gc_mib() {
  curl -s "http://127.0.0.1:$port/metrics" | awk -v what="$1" '$1 ~ "^dotnet_gc_last_collection_" what "\\{" || $1 == "dotnet_gc_last_collection_" what {s += $NF} END {printf "%d", s / 1048576}'
}
# 5xx answers so far other than 503, and 503s (admission: every slot taken and no slot free within the queue
# wait), from ASP.NET Core's request metric as the service's own Prometheus scrape shows it.
count_status() {
  curl -s "http://127.0.0.1:$port/metrics" | awk -v pattern="$1" '/^http_server_request_duration_seconds_count\{/ && $0 ~ "http_response_status_code=\"" pattern "\"" {s += $NF} END {print s + 0}'
}
errors5xx() { count_status '5(0[0-24-9]|[1-9][0-9])'; }
busy503() { count_status 503; }

gcdump=$(command -v dotnet-gcdump || echo "$HOME/.dotnet/tools/dotnet-gcdump")
start_live=""
if [ -x "$gcdump" ]; then
  start_live=$("$gcdump" collect -p "$service" -o "$out/before.gcdump" 2>/dev/null >/dev/null && "$gcdump" report "$out/before.gcdump" 2>/dev/null | awk '/GC Heap bytes/ {gsub(",", "", $1); printf "%d", $1 / 1048576}')
fi
echo "soak: $seconds s, $connections connections, mix of $(wc -l <"$out/requests.txt") requests; RSS at start $(rss) MiB (machine shared: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
SOAK_DIR="$out" wrk -t2 -c"$connections" -d"${seconds}s" --timeout 30s -s bench/soak/mix.lua "http://127.0.0.1:$port" >"$out/wrk.txt" 2>&1 &
wrk_pid=$!
pids+=($wrk_pid)

warmup=$(( seconds / 5 > 30 ? seconds / 5 : 30 ))
warm_rss=""
elapsed=0
printf "%8s %9s %9s %13s %8s %6s %6s\n" seconds "RSS MiB" "GC heap" "GC committed" threads 5xx 503
while kill -0 "$wrk_pid" 2>/dev/null; do
  sleep 15
  elapsed=$((elapsed + 15))
  kill -0 "$wrk_pid" 2>/dev/null || break
  if ! kill -0 "$service" 2>/dev/null; then
    wait "$service"; status=$?
    echo "the service exited (status $status) during the soak; the end of $out/service.log:"; tail -20 "$out/service.log"; exit 1
  fi
  now=$(rss)
  printf "%8d %9d %9d %13d %8d %6d %6d%s\n" "$elapsed" "$now" "$(gc_mib heap_size_bytes)" "$(gc_mib memory_committed_size_bytes)" "$(threads)" "$(errors5xx)" "$(busy503)" \
    "$([ -z "$warm_rss" ] && [ "$elapsed" -ge "$warmup" ] && echo "   <- after warm-up")"
  if [ -z "$warm_rss" ] && [ "$elapsed" -ge "$warmup" ]; then warm_rss=$now; fi
done
wait "$wrk_pid" || true
end_rss=$(rss)
# What is still alive once the load is gone: a full blocking GC through dotnet-gcdump when it is installed
# (dotnet tool install -g dotnet-gcdump). Live data that returns to where it started means what RSS kept is
# heap the GC has not given back yet, not objects held.
gcdump=$(command -v dotnet-gcdump || echo "$HOME/.dotnet/tools/dotnet-gcdump")
if [ -x "$gcdump" ]; then
  # A minute idle: the shared array pools give back buffers a thread has not used for 30-60 s at the next full GC.
  sleep "${IDLE_SECONDS:-60}"
  live=$("$gcdump" collect -p "$service" -o "$out/after.gcdump" 2>/dev/null >/dev/null && "$gcdump" report "$out/after.gcdump" 2>/dev/null | awk '/GC Heap bytes/ {gsub(",", "", $1); printf "%d", $1 / 1048576}')
  echo "after the run, ${IDLE_SECONDS:-60} s idle: RSS $(rss) MiB; live managed objects after a full GC ${live:-?} MiB (gcdump; it was ${start_live:-?} MiB before the load)"
fi
total5xx=$(errors5xx)
total503=$(busy503)
cat "$out/wrk.txt" | grep '^wrk:' || { echo "wrk said:"; cat "$out/wrk.txt"; }
max_ms=$(sed -n 's/^wrk: latency .* max \([0-9]*\) ms$/\1/p' "$out/wrk.txt")

warm_rss=${warm_rss:-$end_rss}
flat=$(awk -v w="$warm_rss" -v e="$end_rss" 'BEGIN{print (e <= w * 1.10) ? "yes" : "no"}')
echo "memory flat: $flat (RSS after warm-up $warm_rss MiB, at the end $end_rss MiB, $(awk -v w="$warm_rss" -v e="$end_rss" 'BEGIN{printf "%+.1f%%", (e - w) * 100 / w}'))"
echo "5xx: $total5xx ($( [ "$total5xx" -eq 0 ] && echo none || echo "see $out/service.log")); 503 (busy, with Retry-After): $total503"
echo "slowest request: ${max_ms:-?} ms against a deadline of ${deadline} s (+1 s): $( [ -n "$max_ms" ] && [ "$max_ms" -le $(( (deadline + 1) * 1000 )) ] && echo within || echo OVER)"
