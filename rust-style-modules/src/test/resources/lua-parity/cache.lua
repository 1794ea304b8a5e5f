-- parity driver for cache: stdin lines of a request and response (see CacheLuaParityTest), stdout "hex(cache_key) TAB cache_rule TAB response headers"
package.path = arg[1] .. "/?.lua;" .. package.path
local function unhex(s) return (s:gsub("..", function(h) return string.char(tonumber(h, 16)) end)) end
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local function split(s) local t = {} for p in (s .. "|"):gmatch("([^|]*)|") do t[#t+1] = unhex(p) end return t end
local RQ, RS
ngx = { ERR = 4, var = {}, ctx = {}, header = {}, log = function() end,
  re = { find = function() return nil end },
  req = { get_method = function() return ngx._m end, get_headers = function() return RQ end } }
setmetatable(ngx.header, { __index = function(_, k) return RS[(k:lower():gsub("_", "-"))] end,
                           __newindex = function(_, k, v) RS[(k:lower():gsub("_", "-"))] = v end })
local h = require("cache.handler")
local confs = {
  { rules = { {prefix = "/s", ttl = 60}, {prefix = "/", ttl = 5, override_origin = false} } },
  { rules = { {prefix = "/a", cache_control = "no-cache"} }, bypass_cookies = {"session", "x"}, key_header = "X_K" },
  { rules = { {prefix = "/", ttl = 1} }, bypass_cookies = {}, bypass_authorization = false, private_on_set_cookie = false, statuses = {200, "302"} },
  { rules = { {prefix = "/", ttl = 1} }, bypass_cookies = {"*"}, key_header = false },
}
for line in io.lines() do
  -- method host uri args cookies(|-sep) auth setcookie cc status conf
  local f = {} for x in (line .. "\t"):gmatch("([^\t]*)\t") do f[#f+1] = x end
  ngx._m = f[1]; ngx.var.host = unhex(f[2]); ngx.var.uri = unhex(f[3])
  ngx.var.args = f[4] ~= "-" and unhex(f[4]) or nil
  RQ = {}
  if f[5] ~= "-" then local c = split(f[5]); RQ.cookie = #c == 1 and c[1] or c end
  if f[6] ~= "-" then RQ.authorization = unhex(f[6]) end
  RS = {}
  ngx.ctx = {}
  local conf = confs[tonumber(f[10])]
  h.rewrite(conf)
  if f[7] ~= "-" then RS["set-cookie"] = unhex(f[7]) end
  if f[8] ~= "-" then RS["cache-control"] = unhex(f[8]) end
  ngx.status = tonumber(f[9])
  h.header_filter(conf)
  local keys = {} for k in pairs(RS) do keys[#keys+1] = k end table.sort(keys)
  local out = {} for _, k in ipairs(keys) do out[#out+1] = k .. "=" .. hex(RS[k]) end
  io.write(tostring(ngx.ctx.cache_key and hex(ngx.ctx.cache_key)), "\t", tostring(ngx.ctx.cache_rule), "\t", table.concat(out, ","), "\n")
end
