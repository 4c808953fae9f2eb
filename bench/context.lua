-- Thread context: GET /api/v1/statuses/:id/context on posts with replies, the biggest threads included.
-- wrk ... -s bench/context.lua URL -- bench/.tokens-NAME.txt bench/.ids-NAME-threads.txt
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local bench = dofile(here .. "common.lua")
bench.install(function() return bench.get("/api/v1/statuses/" .. bench.id() .. "/context") end)
