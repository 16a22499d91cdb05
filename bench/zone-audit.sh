#!/usr/bin/env bash
# Times a whole zone audit — process start, read, parse, all rules — for generated zones of 100k and
# 1M records, beside kzonecheck (knot-dnssecutils) and named-checkzone (bind9-utils) on the same files.
# Reports the best wall time of 5 runs and the peak resident memory (this machine's timings vary by ±30%). Usage: bench/zone-audit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in kzonecheck named-checkzone /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install knot-dnssecutils bind9-utils time"; exit 1; }
done
out=bench/out
mkdir -p "$out"
# Published ReadyToRun, as a command-line tool would ship: no JIT warm-up inside the timing.
dotnet publish bench/ZoneAudit -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/zoneaudit" >/dev/null

source bench/measure.sh

printf "%-18s %-8s %10s %12s\n" tool records "best wall" "peak RSS"
for size in 100000 1000000; do
  zone="$out/zone-$size.db"
  [ -f "$zone" ] || python3 bench/generate-zone.py "$size" "$zone"
  echo "# $zone: $(du -m "$zone" | cut -f1) MB"
  measure rulesapi dotnet "$out/zoneaudit/RulesApi.ZoneAudit.dll" "$zone" example.com
  measure kzonecheck kzonecheck -o example.com "$zone"
  measure named-checkzone named-checkzone -i local -k ignore example.com "$zone"
done
