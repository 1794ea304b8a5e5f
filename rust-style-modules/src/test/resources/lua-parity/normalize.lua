-- parity driver for normalize: stdin lines "hex(target) TAB hex(host) TAB scheme TAB settings#", stdout "exit TAB hex(set_uri) TAB hex(Host set) TAB hex(log)"

package.path = arg[1] .. "/?.lua;" .. package.path
local function unhex(s) return (s:gsub("..", function(h) return string.char(tonumber(h, 16)) end)) end
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local R
ngx = { INFO = 7, var = {}, log = function(l, ...) R.log = table.concat({...}) end,
  exit = function(s) R.exit = s end,
  req = { set_uri = function(u) R.uri = u end, set_header = function(n, v) R.host = v end,
          get_headers = function() return { host = R.in_host } end } }
local h = require("normalize.handler")
local confs = {
  {}, {reject_invalid = false}, {decode_unreserved = false}, {merge_slashes = false},
  {remove_dot_segments = false}, {lowercase_host = false, strip_default_port = false},
}
for line in io.lines() do
  local t, host, scheme, ci = line:match("^(%x*)\t(%x*)\t(%w+)\t(%d+)$")
  R = { in_host = unhex(host) }
  ngx.var.request_uri = unhex(t); ngx.var.scheme = scheme
  h.rewrite(confs[tonumber(ci)])
  io.write(tostring(R.exit), "\t", R.uri and hex(R.uri) or "-", "\t", R.host and (R.host == "" and "REMOVED" or hex(R.host)) or "-", "\t", R.log and hex(R.log) or "-", "\n")
end
