-- wrk: POST /api/quotes as quote.lua, and how many answers completed in each second of the run (2xx and
-- others apart), printed by done() as lines "second <n> <ok> <failed>", so that one continuous run shows
-- a new task warming up (separate short runs would drop the requests in flight at every cut).
-- LOAD_METHOD, LOAD_BODY and LOAD_HEADERS (a "Name: value" a line) send another request instead: a backend's own.
wrk.method = os.getenv("LOAD_METHOD") or "POST"
wrk.body = os.getenv("LOAD_BODY") or '{"items":[{"sku":"TEA-001","quantity":12},{"sku":"TEA-002","quantity":1}]}'
for name, value in (os.getenv("LOAD_HEADERS") or "Content-Type: application/json"):gmatch("([^:\n]+):%s*([^\n]*)") do
  wrk.headers[name] = value
end

local threads = {}

function setup(thread)
  thread:set("start", os.time())
  table.insert(threads, thread)
end

function init(args)
  ok, failed = {}, {}
end

function response(status, headers, body)
  local second = os.time() - start + 1
  if status < 400 then
    ok[second] = (ok[second] or 0) + 1
  else
    failed[second] = (failed[second] or 0) + 1
  end
end

function done(summary, latency, requests)
  local ok_total, failed_total, last = {}, {}, 0
  for _, thread in ipairs(threads) do
    for second, n in pairs(thread:get("ok")) do ok_total[second] = (ok_total[second] or 0) + n; last = math.max(last, second) end
    for second, n in pairs(thread:get("failed")) do failed_total[second] = (failed_total[second] or 0) + n; last = math.max(last, second) end
  end
  for second = 1, last do
    io.write(string.format("second %d %d %d\n", second, ok_total[second] or 0, failed_total[second] or 0))
  end
end
