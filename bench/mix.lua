-- DeathStarBench's social-network mix: 60% home timeline, 30% account timeline, 10% create post.
-- wrk ... -s bench/mix.lua URL -- bench/.tokens-NAME.txt bench/.ids-NAME-accounts.txt
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local bench = dofile(here .. "common.lua")
bench.install(function()
  local r = math.random(100)
  if r <= 60 then return bench.get("/api/v1/timelines/home") end
  if r <= 90 then return bench.get("/api/v1/accounts/" .. bench.id() .. "/statuses") end
  return bench.create()
end)
