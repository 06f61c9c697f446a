-- wrk script: POST /api/v1/decisions for known customers, picked at random from ids.txt (one id per line), with the
-- decide key of $DECIDE_KEY (Authorization: Bearer KEY).
-- Counts every non-200 answer and socket error, and prints a JSON summary line at the end.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE") or "ids.txt") do ids[#ids + 1] = line end
local threads = {}
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. (os.getenv("DECIDE_KEY") or "") }

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(1000 + id)
  bad = 0
  statuses = {}
end

function request()
  local c = ids[math.random(#ids)]
  return wrk.format("POST", "/api/v1/decisions", headers,
    '{"customer_id":"' .. c .. '"}')
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local non200 = 0
  for _, t in ipairs(threads) do non200 = non200 + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"seconds":%.2f,"requests_per_second":%.1f,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,' ..
    '"max_ms":%.2f,"non_200":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, non200, e.connect + e.read + e.write + e.timeout + e.status))
end
