-- wrk's script for `make bench`: each connection cycles through the scenario's requests
-- (many accounts' paths and headers), read from the JSON-lines file BENCH_REQUESTS names;
-- at the end, one line "BENCH {json}" with the counts and latency percentiles (ms).

local requests = {}
local counter = 0

function init(args)
  local file = assert(io.open(os.getenv("BENCH_REQUESTS"), "r"))
  for line in file:lines() do
    local path, headers = line:match("^([^\t]*)\t(.*)$")
    local parsed = {}
    for name, value in headers:gmatch("([^\t:]+): ([^\t]*)") do
      parsed[name] = value
    end
    requests[#requests + 1] = wrk.format("GET", path, parsed)
  end
  file:close()
  counter = tonumber(offset) or 0
end

function setup(thread)
  thread:set("offset", math.random(0, 1000))
end

function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end

function done(summary, latency, requests_)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "p50": %.3f, "p99": %.3f, "max": %.3f, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
