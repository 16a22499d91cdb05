#!/usr/bin/env bash
# Times the offline check of a signed zone — every RRSIG verified against the apex DNSKEY set, and the
# NSEC chain — as whole processes, beside BIND's dnssec-verify and kzonecheck --dnssec on, on the same
# file: a generated zone of 100k records signed by dnssec-signzone (ECDSAP256SHA256, KSK + ZSK, NSEC).
# Reports the best wall time of 5 runs and the peak resident memory. Usage: bench/dnssec-verify.sh [records]
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in dnssec-signzone dnssec-keygen dnssec-verify kzonecheck /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install bind9-utils knot-dnssecutils time"; exit 1; }
done
size=${1:-100000}
out=bench/out
mkdir -p "$out/keys"
dotnet publish bench/ZoneAudit -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/zoneaudit" >/dev/null

zone="$out/zone-$size.db"
signed="$out/zone-$size.signed"
[ -f "$zone" ] || python3 bench/generate-zone.py "$size" "$zone"
if [ ! -f "$signed" ]; then
  rm -f "$out"/keys/*
  dnssec-keygen -q -K "$out/keys" -a ECDSAP256SHA256 -f KSK example.com >/dev/null
  dnssec-keygen -q -K "$out/keys" -a ECDSAP256SHA256 example.com >/dev/null
  # Valid from 2026-01-01 for ten years; the audit's clock is the machine's.
  dnssec-signzone -q -S -K "$out/keys" -d "$out" -s 20260101000000 -e 20361231000000 -o example.com -f "$signed" "$zone" >/dev/null
fi
echo "# $signed: $(grep -cv '^\s*;' "$signed") lines, $(du -m "$signed" | cut -f1) MB, from $size records"
echo "# rulesapi: $(dotnet "$out/zoneaudit/RulesApi.ZoneAudit.dll" "$signed" example.com)"

source bench/measure.sh

printf "%-22s %10s %12s\n" tool "best wall" "peak RSS"
measure rulesapi dotnet "$out/zoneaudit/RulesApi.ZoneAudit.dll" "$signed" example.com
measure dnssec-verify dnssec-verify -q -o example.com "$signed"
measure "kzonecheck --dnssec" kzonecheck -d on -o example.com "$signed"
