-- Shared by every scenario: tokens and ids read once per thread, rotation, error count, JSON summary.
-- wrk runs one Lua state per thread plus one for setup/done; values cross between them with get/set.
local M = {}

local threads = {}

function M.lines(path)
  local out = {}
  local f = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in f:lines() do
    if line ~= "" then out[#out + 1] = line end
  end
  f:close()
  assert(#out > 0, path .. " is empty")
  return out
end

-- wrk calls setup(thread) in the main state for each thread: number them so each starts elsewhere.
function M.setup(thread)
  thread:set("thread_id", #threads)
  threads[#threads + 1] = thread
end

-- init(args) runs in each thread: args are what follows "--" on wrk's command line.
function M.init(args)
  M.tokens = M.lines(args[1])
  M.ids = args[2] and M.lines(args[2]) or nil
  M.non2xx = 0
  local id = thread_id or 0
  math.randomseed(1000 + id)
  M.t = (id * 7919) % #M.tokens
  M.i = (id * 104729) % (M.ids and #M.ids or 1)
end

function M.token()
  M.t = M.t % #M.tokens + 1
  return M.tokens[M.t]
end

function M.id()
  M.i = M.i % #M.ids + 1
  return M.ids[M.i]
end

function M.get(path)
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. M.token() })
end

local words = {
  "Bonjour", "le marché", "ce matin", "quelle journée", "café", "vélo", "what a day", "the library",
  "good morning", "big week ahead", "merci", "à ce soir", "see you tonight", "#bench", "#café",
}

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

M.posted = 0
function M.create()
  M.posted = M.posted + 1
  local parts = {}
  for k = 1, math.random(3, 12) do parts[k] = words[math.random(#words)] end
  local text = table.concat(parts, " ") .. " " .. M.posted
  return wrk.format("POST", "/api/v1/statuses", {
    ["Authorization"] = "Bearer " .. M.token(),
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "status=" .. urlencode(text))
end

function M.response(status, headers, body)
  if status < 200 or status > 299 then M.non2xx = M.non2xx + 1 end
end

-- One JSON line, prefixed so the runner finds it among wrk's own output.
function M.done(summary, latency, requests)
  local non2xx = 0
  for _, thread in ipairs(threads) do non2xx = non2xx + (thread:get("non2xx_count") or 0) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_s": %.3f, "rps": %.1f, "p50_ms": %.2f, "p90_ms": %.2f, ' ..
    '"p99_ms": %.2f, "max_ms": %.2f, "non2xx": %d, "socket_errors": %d, "bytes": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, non2xx, e.connect + e.read + e.write + e.timeout, summary.bytes))
end

-- Install the callbacks wrk looks for as globals; ``request`` is the scenario's own.
function M.install(request_fn)
  setup = M.setup
  init = M.init
  request = request_fn
  response = function(status, headers, body)
    M.response(status, headers, body)
    non2xx_count = M.non2xx
  end
  done = M.done
end

return M
