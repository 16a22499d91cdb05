# Sourced by bench/api-throughput.sh and bench/api-ab.sh: starting a server on loopback for a benchmark.

# port_must_be_free PORT: stops the benchmark when something already answers there. A service left running on the port
# would answer in place of the one being started, which dies failing to bind, and the benchmark would measure the wrong one.
port_must_be_free() {
  if curl -s -o /dev/null "http://127.0.0.1:$1/"; then echo "port $1 is taken by another process"; exit 1; fi
}

# wait_until_up NAME PORT PID LOG: waits until the server answers; stops the benchmark, with its log, if it exits or
# does not answer within 10 s.
wait_until_up() {
  local name=$1 port=$2 pid=$3 log=$4
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || { echo "the $name server on $port exited:"; cat "$log"; exit 1; }
    curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    sleep 0.1
  done
  echo "the $name server on $port did not start:"; cat "$log"; exit 1
}
