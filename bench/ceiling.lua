-- Ceiling: GET /bench/ceiling (GAZOUILLIS_BENCH_ENDPOINTS=true), a fixed home-page-sized body through
-- the same stack, with the same Authorization header as the other scenarios.
-- wrk ... -s bench/ceiling.lua URL -- bench/.tokens-NAME.txt
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local bench = dofile(here .. "common.lua")
bench.install(function() return bench.get("/bench/ceiling") end)
