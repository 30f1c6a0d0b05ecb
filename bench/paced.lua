-- wrk script: each connection pauses between requests, so that 8 connections
-- offer a fixed average load instead of saturating the server. The pause is
-- drawn uniformly from [0, 2 * pause_ms], so the connections do not fall into
-- step and arrive in bursts.
-- Usage: wrk -s bench/paced.lua ... -- <pause_ms>
local pause_ms = 0
function init(args)
  pause_ms = tonumber(args[1]) or 0
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16))
end
function delay()
  return math.random(0, 2 * pause_ms)
end
