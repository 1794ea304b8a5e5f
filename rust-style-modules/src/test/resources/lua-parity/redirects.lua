-- parity driver for redirects (exact and prefix rules; ngx.re is not in plain Lua): stdin
-- "hex(uri) TAB hex(args)|- TAB settings#", stdout "status TAB hex(Location)" or "nil"
package.path = arg[1] .. "/?.lua;" .. package.path
local function unhex(s) return (s:gsub("..", function(h) return string.char(tonumber(h, 16)) end)) end
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local R
ngx = { ERR = 4, var = {}, log = function() end, re = { match = function() return nil end },
  redirect = function(t, s) R = s .. "\t" .. hex(t) end }
local h = require("redirects.handler")
local confs = {
  { rules = { {match = "exact", from = "/old", to = "/new"}, {match = "prefix", from = "/docs", to = "https://d.test/v2"},
              {match = "prefix", from = "/f/", to = "/files?x=1", status = "302", keep_query = true} } },
  { rules = { {match = "prefix", from = "/A", to = "/b", ignore_case = true, status = 308},
              {match = "exact", from = "/Old", to = "/n", ignore_case = true, keep_query = false},
              {match = "prefix", from = "/", to = "/root", status = 307} } },
}
for line in io.lines() do
  local u, a, c = line:match("^(%x*)\t([%x-]*)\t(%d+)$")
  R = "nil"
  ngx.var.uri = unhex(u)
  ngx.var.args = a ~= "-" and unhex(a) or nil
  h.rewrite(confs[tonumber(c)])
  io.write(R, "\n")
end
