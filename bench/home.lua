-- Home timeline: GET /api/v1/timelines/home, rotating through the readers' tokens.
-- wrk ... -s bench/home.lua URL -- bench/.tokens-NAME.txt
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local bench = dofile(here .. "common.lua")
bench.install(function() return bench.get("/api/v1/timelines/home") end)
