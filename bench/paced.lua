-- wrk script: each connection waits `pause_ms` between requests, so that 8
-- connections offer a fixed load instead of saturating the server.
-- Usage: wrk -s bench/paced.lua ... -- <pause_ms>
local pause_ms = 0
function init(args)
  pause_ms = tonumber(args[1]) or 0
end
function delay()
  return pause_ms
end
