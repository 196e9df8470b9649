-- wrk script: POST the 8.8 KB GitHub push with its X-Hub-Signature-256, a fresh
-- X-GitHub-Delivery per request (so hooks accepts each one rather than answering 200 as a
-- duplicate), and count answers by status.
-- Environment: BODY_FILE (the payload), SIGNATURE ("sha256=<hex>"), HOOK_PATH.
local body_file = os.getenv("BODY_FILE")
local f = assert(io.open(body_file, "rb"))
local body = f:read("*a")
f:close()
local signature = os.getenv("SIGNATURE")
local path = os.getenv("HOOK_PATH") or "/hooks/github"

local counter = 0
thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  math.randomseed(os.time() + thread_id * 7919)
  run = string.format("%08x", math.random(0, 0x7fffffff))
end

function request()
  counter = counter + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-GitHub-Event"] = "push",
    ["X-GitHub-Delivery"] = string.format("%s-%d-%d", run, thread_id, counter),
    ["X-Hub-Signature-256"] = signature,
  }
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for code, n in pairs(s) do
      all[code] = (all[code] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(all) do
    table.insert(parts, code .. "=" .. n)
  end
  table.sort(parts)
  io.write(string.format("RESULT requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d statuses=%s\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    table.concat(parts, ",")))
end
