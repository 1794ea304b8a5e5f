-- parity driver for accesslog's encoding: stdin "s TAB hex(string) TAB max_len" or "n TAB number", stdout hex(encode(...))
package.path = arg[1] .. "/?.lua;" .. package.path
local function unhex(s) return (s:gsub("..", function(h) return string.char(tonumber(h, 16)) end)) end
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
ngx = { NOTICE = 6, INFO = 7, WARN = 5, ERR = 4, var = {}, ctx = {}, log = function() end,
  req = { get_method = function() return "GET" end, get_headers = function() return {} end } }
local h = require("accesslog.handler")
for line in io.lines() do
  local kind, a, b = line:match("^(%a)\t([^\t]*)\t?(.*)$")
  if kind == "s" then
    io.write(hex(h.encode(unhex(a), tonumber(b))), "\n")
  else
    io.write(hex(h.encode(tonumber(a))), "\n")
  end
end
