# Sourced by the benchmark scripts. measure LABEL COMMAND...: runs the command 5 times as a whole
# process and prints the best wall time and the peak resident memory (/usr/bin/time). Expects $out.
measure() {
  local label=$1; shift
  local best="" rss=0
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >/dev/null 2>&1 || true
    read -r secs kb < "$out/time.txt"
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  printf "%-22s %-8s %8s s %8d MiB\n" "$label" "${size:-}" "$best" $((rss / 1024))
}
