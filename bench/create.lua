-- Create post: POST /api/v1/statuses as each reader in turn (fan-out jobs follow in the worker).
-- wrk ... -s bench/create.lua URL -- bench/.tokens-NAME.txt
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local bench = dofile(here .. "common.lua")
bench.install(bench.create)
