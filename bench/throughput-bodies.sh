# Sourced by bench/api-throughput.sh and bench/api-ab.sh. throughput_bodies DIR: writes the two request bodies they
# load the service with — a fixture, and the sample zone with two names (the README's examples) — as DIR/fixture.json
# and DIR/zone.json, and a wrk script for each (DIR/fixture.lua, DIR/zone.lua) that posts it as JSON.
throughput_bodies() {
  local dir=$1
  printf '{"fixture":"healthy"}' > "$dir/fixture.json"
  python3 - "$dir/zone.json" <<'PY'
import json, sys
zone = open("samples/example.com.zone").read()
json.dump({"zoneFile": zone, "domains": ["example.com", "www.example.com"]}, open(sys.argv[1], "w"))
PY
  local body
  for body in fixture zone; do
    cat > "$dir/$body.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$dir/$body.json"); wrk.body = f:read("*a"); f:close()
LUA
  done
}
