-- wrk script for bench/soak.sh: every request is the next of a fixed mix read from $SOAK_DIR/requests.txt
-- (one "METHOD PATH CONTENT-TYPE BODY-FILE" a line), each connection starting at a different place so the
-- 64 connections do not move in step. Counts the answers by status class and prints them when done.
local requests = {}
counts = {} -- global: done() reads each thread's through thread:get
local index = 0

local function load()
  local dir = os.getenv("SOAK_DIR")
  for line in io.lines(dir .. "/requests.txt") do
    local method, path, contentType, file = line:match("^(%S+) (%S+) (%S+) (%S+)$")
    local f = assert(io.open(dir .. "/" .. file, "rb"))
    local body = f:read("*a")
    f:close()
    table.insert(requests, wrk.format(method, path, { ["Content-Type"] = contentType }, body))
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  load()
  index = math.random(#requests)
  counts = { c2 = 0, c4 = 0, c5 = 0, c503 = 0, other = 0 }
end

function request()
  index = index % #requests + 1
  return requests[index]
end

function response(status, headers, body)
  if status == 503 then counts.c503 = counts.c503 + 1
  elseif status >= 500 then counts.c5 = counts.c5 + 1
  elseif status >= 400 then counts.c4 = counts.c4 + 1
  elseif status >= 200 and status < 300 then counts.c2 = counts.c2 + 1
  else counts.other = counts.other + 1 end
end

function done(summary, latency, requests)
  local total = { c2 = 0, c4 = 0, c5 = 0, c503 = 0, other = 0 }
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for k, v in pairs(c) do total[k] = total[k] + v end
  end
  io.write(string.format("wrk: %d requests, 2xx %d, 4xx %d, 503 %d, other 5xx %d, socket errors %d (connect %d, read %d, write %d, timeout %d)\n",
    summary.requests, total.c2, total.c4, total.c503, total.c5, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("wrk: latency mean %.0f ms, p99 %.0f ms, max %.0f ms\n", latency.mean / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
