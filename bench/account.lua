-- Account timeline: GET /api/v1/accounts/:id/statuses, popular profiles more often.
-- wrk ... -s bench/account.lua URL -- bench/.tokens-NAME.txt bench/.ids-NAME-accounts.txt
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local bench = dofile(here .. "common.lua")
bench.install(function() return bench.get("/api/v1/accounts/" .. bench.id() .. "/statuses") end)
