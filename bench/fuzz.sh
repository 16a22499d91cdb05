#!/usr/bin/env bash
# Coverage-guided fuzzing of RulesApi's untrusted-input paths with SharpFuzz and AFL++.
#
#   bash bench/fuzz.sh TARGET SECONDS      TARGET: zone | request | caa | acm | all (each in turn)
#
# Builds fuzz/Fuzz (Release) into a temporary folder, instruments RulesApi.Dns and RulesApi.Rules there
# with the `sharpfuzz` dotnet tool (.config/dotnet-tools.json), and runs afl-fuzz on each target for
# SECONDS, starting from the committed seeds in fuzz/corpus/TARGET. Prints, per target, AFL's executions,
# corpus size, crashes and hangs (from its fuzzer_stats). Exit 1 when any target crashed; the crashing
# inputs are kept (the path is printed) — replay one with
#   dotnet <bin>/RulesApi.Fuzz.dll TARGET <file>
# and make it a regression test. Needs Debian's afl++ (`apt-get install afl++`).
# FUZZ_PREBUILT=fuzz/Fuzz/bin/Debug/net10.0 copies an existing build instead of building (CI's smoke run,
# right after the tests built the solution).
set -uo pipefail
cd "$(dirname "$0")/.."

target=${1:-}
seconds=${2:-}
all_targets=(zone request caa acm)
if [[ -z "$target" || ! "$seconds" =~ ^[0-9]+$ || "$seconds" -lt 1 ]]; then
  echo "usage: bash bench/fuzz.sh {zone|request|caa|acm|all} SECONDS" >&2
  exit 2
fi
if [[ "$target" == all ]]; then
  targets=("${all_targets[@]}")
elif [[ " ${all_targets[*]} " == *" $target "* ]]; then
  targets=("$target")
else
  echo "unknown target '$target' (zone, request, caa, acm or all)" >&2
  exit 2
fi
if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "afl-fuzz is not installed: apt-get install afl++" >&2
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work=$(mktemp -d /tmp/rulesapi-fuzz.XXXXXX)
bin="$work/bin"
echo "building and instrumenting into $bin"
if [[ -n "${FUZZ_PREBUILT:-}" ]]; then
  # An existing build of fuzz/Fuzz (CI: the Debug build the tests just made); it is copied, never instrumented in place.
  [[ -f "$FUZZ_PREBUILT/RulesApi.Fuzz.dll" ]] || { echo "FUZZ_PREBUILT=$FUZZ_PREBUILT has no RulesApi.Fuzz.dll"; exit 1; }
  cp -r "$FUZZ_PREBUILT" "$bin"
else
  dotnet build fuzz/Fuzz -c Release -o "$bin" -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; echo "build failed"; exit 1; }
fi
dotnet tool restore >/dev/null || { echo "dotnet tool restore failed (SharpFuzz.CommandLine 2.3.0)"; exit 1; }
for assembly in RulesApi.Dns.dll RulesApi.Rules.dll; do
  dotnet sharpfuzz "$bin/$assembly" >"$work/instrument.log" 2>&1 || { cat "$work/instrument.log"; echo "sharpfuzz could not instrument $assembly"; exit 1; }
done

# AFL++ in a container or on a shared machine: no CPU governor to check, no core to itself, no core
# pattern to tune, no terminal; the target is `dotnet`, which is not an AFL binary (SharpFuzz speaks the
# fork-server protocol from inside it).
export AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
       AFL_SKIP_BIN_CHECK=1 AFL_FAST_CAL=1 AFL_SKIP_CRASHES=0

stat() { grep -E "^$1 " "$2" | awk -F': ' '{print $2}' | tr -d ' '; }

status=0
total_crashes=0
for t in "${targets[@]}"; do
  findings="$work/findings-$t"
  # -t: a generous per-input timeout (the first runs JIT-compile); -m none: .NET reserves much virtual memory.
  timeout $((seconds + 120)) afl-fuzz -i "fuzz/corpus/$t" -o "$findings" -t 5000 -m none -V "$seconds" \
    -- dotnet "$bin/RulesApi.Fuzz.dll" "$t" >"$work/afl-$t.log" 2>&1
  afl_status=$?
  stats="$findings/default/fuzzer_stats"
  if [[ ! -f "$stats" ]]; then
    tail -30 "$work/afl-$t.log"
    echo "$t: afl-fuzz did not run (exit $afl_status); log: $work/afl-$t.log"
    status=1
    continue
  fi
  execs=$(stat execs_done "$stats")
  crashes=$(stat saved_crashes "$stats")
  hangs=$(stat saved_hangs "$stats")
  paths=$(stat corpus_count "$stats")
  speed=$(stat execs_per_sec "$stats")
  echo "$t: ${seconds}s, $execs executions ($speed/s), corpus $paths, crashes $crashes, hangs $hangs"
  if [[ "${crashes:-0}" -gt 0 ]]; then
    echo "$t: crashing inputs in $findings/default/crashes/ (replay: dotnet $bin/RulesApi.Fuzz.dll $t FILE)"
    total_crashes=$((total_crashes + crashes))
    status=1
  fi
done

if [[ "$status" -eq 0 ]]; then
  rm -rf "$work"
else
  echo "kept $work for inspection"
fi
echo "fuzzing: ${#targets[@]} target(s), $total_crashes crash(es)"
exit "$status"
