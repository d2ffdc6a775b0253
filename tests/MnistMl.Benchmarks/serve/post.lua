-- wrk script for tests/MnistMl.Benchmarks/serve/load.sh: POSTs one body (BODY_FILE, as
-- CONTENT_TYPE) to REQUEST_PATH over and over, each thread stopping after its share of
-- MAX_REQUESTS, and prints one JSON line of figures at the end.
local function read_all(path)
  local file = assert(io.open(path, "rb"))
  local content = file:read("*a")
  file:close()
  return content
end

wrk.method = "POST"
wrk.path = os.getenv("REQUEST_PATH")
wrk.body = read_all(os.getenv("BODY_FILE"))
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE")

local threads = tonumber(os.getenv("WRK_THREADS") or "1")
local share = math.ceil(tonumber(os.getenv("MAX_REQUESTS")) / threads)
local answered = 0

function response(status, headers, body)
  answered = answered + 1
  if answered >= share then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"requestsPerSecond":%.1f,"p50Ms":%.3f,"p90Ms":%.3f,"p99Ms":%.3f,"maxMs":%.3f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
    e.connect, e.read, e.write, e.status, e.timeout))
end
