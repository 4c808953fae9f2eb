"""Lua scripts of the Redis feed store, each atomic on one feed.

A feed is a Redis STRING of 16-byte entries, newest first: the post id then the reposted post's id (0
for an original), both big-endian unsigned 64-bit. Lua numbers are doubles (exact to 2**53 only), so ids
are compared as two 32-bit halves read with ``struct``. Writes replace the value with SET … KEEPTTL: a
string written whole is allocated at its exact size (APPEND would over-allocate by up to 100 %).
"""

from __future__ import annotations

_COMMON = """
local W = 16
local function at(s, i)  -- the id of entry i (0-based) of s, as two 32-bit halves
  return struct.unpack('>I4I4', s, i * W + 1)
end
local function less(h1, l1, h2, l2)
  return h1 < h2 or (h1 == h2 and l1 < l2)
end
-- index of the first entry of s (n entries, newest first) whose id is <= (h, l); n when none
local function first_not_newer(s, n, h, l)
  local lo, hi = 0, n
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    local mh, ml = at(s, mid)
    if less(h, l, mh, ml) then lo = mid + 1 else hi = mid end
  end
  return lo
end
"""

# KEYS: feeds; ARGV[1] one entry, ARGV[2] cap. Inserts in order into each feed (a repeat does nothing),
# trims to the cap; returns how many feeds took it. A missing feed stays missing: it will be rebuilt
# whole when read, never filled piecemeal. One call serves many feeds (a fan-out batch in a few calls).
ADD = (
    _COMMON
    + """
local h, l = struct.unpack('>I4I4', ARGV[1])
local cap = tonumber(ARGV[2])
local added = 0
for k = 1, #KEYS do
  local s = redis.call('GET', KEYS[k])
  if s then
    local n = #s / W
    local i = first_not_newer(s, n, h, l)
    local repeat_ = false
    if i < n then
      local mh, ml = at(s, i)
      repeat_ = mh == h and ml == l
    end
    if not repeat_ and i < cap then
      local out = string.sub(s, 1, i * W) .. ARGV[1] .. string.sub(s, i * W + 1, (cap - 1) * W)
      redis.call('SET', KEYS[k], out, 'KEEPTTL')
      added = added + 1
    end
  end
end
return added
"""
)

# KEYS[1] feed; ARGV[1] entries newest first, ARGV[2] cap, ARGV[3] '1' to return the result.
# Merges the two ordered lists (one entry per post id), keeps the newest cap entries.
MERGE = (
    _COMMON
    + """
local s = redis.call('GET', KEYS[1])
if not s then return false end
local b = ARGV[1]
local n, m, cap = #s / W, #b / W, tonumber(ARGV[2])
local parts, i, j = {}, 0, 0
while #parts < cap and (i < n or j < m) do
  local from_s
  if i >= n then from_s = false
  elseif j >= m then from_s = true
  else
    local h1, l1 = at(s, i)
    local h2, l2 = at(b, j)
    if h1 == h2 and l1 == l2 then j = j + 1 end
    from_s = not less(h1, l1, h2, l2)
  end
  if from_s then
    parts[#parts + 1] = string.sub(s, i * W + 1, i * W + W)
    i = i + 1
  else
    parts[#parts + 1] = string.sub(b, j * W + 1, j * W + W)
    j = j + 1
  end
end
local out = table.concat(parts)
redis.call('SET', KEYS[1], out, 'KEEPTTL')
if ARGV[3] == '1' then return out end
return #parts
"""
)

# KEYS[1] feed; ARGV[1] max_id, ARGV[2] since_id, ARGV[3] min_id (8 bytes each, or empty), ARGV[4] limit,
# ARGV[5] time to live (refreshed: a feed read is a feed kept), ARGV[6] cap.
# Returns false for a missing feed, else {entries, horizon}: a binary search by GETRANGE probes, then one
# GETRANGE for the page, so a read costs O(log n + page) whatever the size of the feed.
PAGE = """
local W = 16
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('EXPIRE', KEYS[1], ARGV[5])
local n = redis.call('STRLEN', KEYS[1]) / W
local function at(i)
  return struct.unpack('>I4I4', redis.call('GETRANGE', KEYS[1], i * W, i * W + 7))
end
local function less(h1, l1, h2, l2)
  return h1 < h2 or (h1 == h2 and l1 < l2)
end
-- first index whose id is < (h, l) when strict, <= (h, l) otherwise
local function first_below(h, l, strict)
  local lo, hi = 0, n
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    local mh, ml = at(mid)
    local below
    if strict then below = less(mh, ml, h, l) else below = not less(h, l, mh, ml) end
    if below then hi = mid else lo = mid + 1 end
  end
  return lo
end
local limit = tonumber(ARGV[4])
local lo, hi = 0, n
if ARGV[1] ~= '' then
  local h, l = struct.unpack('>I4I4', ARGV[1])
  lo = first_below(h, l, true)
end
if ARGV[2] ~= '' then
  local h, l = struct.unpack('>I4I4', ARGV[2])
  hi = math.min(hi, first_below(h, l, false))
end
if ARGV[3] ~= '' then
  local h, l = struct.unpack('>I4I4', ARGV[3])
  hi = math.min(hi, first_below(h, l, false))
  lo = math.max(lo, hi - limit)
else
  hi = math.min(hi, lo + limit)
end
local page = ''
if hi > lo then page = redis.call('GETRANGE', KEYS[1], lo * W, hi * W - 1) end
local horizon = ''
if n >= tonumber(ARGV[6]) and n > 0 then
  horizon = redis.call('GETRANGE', KEYS[1], (n - 1) * W, (n - 1) * W + 7)
end
return {page, horizon}
"""

# KEYS[1] feed; ARGV[1] post ids to take out (8 bytes each). Returns how many entries went.
REMOVE = """
local W = 16
local s = redis.call('GET', KEYS[1])
if not s or #s == 0 then return 0 end
local gone = {}
for k = 1, #ARGV[1], 8 do gone[string.sub(ARGV[1], k, k + 7)] = true end
local kept = {}
for i = 1, #s, W do
  if not gone[string.sub(s, i, i + 7)] then kept[#kept + 1] = string.sub(s, i, i + W - 1) end
end
local removed = #s / W - #kept
if removed > 0 then redis.call('SET', KEYS[1], table.concat(kept), 'KEEPTTL') end
return removed
"""

# KEYS[1] feed; ARGV[1] cap.
TRIM = """
local size = tonumber(ARGV[1]) * 16
if redis.call('STRLEN', KEYS[1]) <= size then return 0 end
redis.call('SET', KEYS[1], redis.call('GETRANGE', KEYS[1], 0, size - 1), 'KEEPTTL')
return 1
"""
