-- parity driver for headers: ngx.req.set_header / ngx.header as Graft's NgxReq / NgxResponse do them
-- (one list of lines per side; set = remove every line of the name, then append).
-- stdin "settings# TAB request lines TAB response lines" (lines: hex(name)=hex(value) joined by ','),
-- stdout "request lines TAB response lines" after rewrite and header_filter
package.path = arg[1] .. "/?.lua;" .. package.path
local function unhex(s) return (s:gsub("..", function(h) return string.char(tonumber(h, 16)) end)) end
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local REQ, RESP
local function parse(s)
  local t = {}
  for pair in s:gmatch("[^,]+") do
    local n, v = pair:match("^(%x*)=(%x*)$")
    t[#t + 1] = { unhex(n), unhex(v) }
  end
  return t
end
local function show(t)
  local out = {}
  for i, nv in ipairs(t) do out[i] = hex(nv[1]) .. "=" .. hex(nv[2]) end
  return table.concat(out, ",")
end
local function remove(t, name)
  local l = name:lower()
  for i = #t, 1, -1 do if t[i][1]:lower() == l then table.remove(t, i) end end
end
local function values(t, name)
  local l, out = name:lower(), {}
  for _, nv in ipairs(t) do if nv[1]:lower() == l then out[#out + 1] = nv[2] end end
  return out
end
local SINGLE = { server = 1, date = 1, ["content-length"] = 1, ["content-encoding"] = 1, location = 1, refresh = 1,
  ["last-modified"] = 1, ["content-range"] = 1, ["accept-ranges"] = 1, ["www-authenticate"] = 1, expires = 1,
  etag = 1, ["content-type"] = 1 }
local function set_req(name, value)
  remove(REQ, name)
  if value == nil then return end
  if type(value) == "table" then
    for _, v in ipairs(value) do if v ~= "" then REQ[#REQ + 1] = { name, v } end end
  elseif value ~= "" then
    REQ[#REQ + 1] = { name, tostring(value) }
  end
end
ngx = { ERR = 4, log = function() end, header = {},
  req = {
    set_header = set_req,
    clear_header = function(name) set_req(name, nil) end,
    get_headers = function()
      local t = {}
      for _, nv in ipairs(REQ) do
        local k, cur = nv[1]:lower(), t[nv[1]:lower()]
        if cur == nil then t[k] = nv[2] elseif type(cur) == "table" then cur[#cur + 1] = nv[2] else t[k] = { cur, nv[2] } end
      end
      return setmetatable(t, { __index = function(tt, k) return rawget(tt, (k:lower():gsub("_", "-"))) end })
    end } }
setmetatable(ngx.header, {
  __index = function(_, k)
    local v = values(RESP, (k:gsub("_", "-")))
    if #v == 0 then return nil elseif #v == 1 then return v[1] end
    return v
  end,
  __newindex = function(_, k, value)
    local name = k:gsub("_", "-")
    remove(RESP, name)
    if value == nil then return end
    if type(value) == "table" then
      if #value > 0 and SINGLE[name:lower()] then
        if value[#value] ~= "" then RESP[#RESP + 1] = { name, value[#value] } end
        return
      end
      for _, v in ipairs(value) do if v ~= "" then RESP[#RESP + 1] = { name, v } end end
    elseif value ~= "" then
      RESP[#RESP + 1] = { name, tostring(value) }
    end
  end })
local h = require("headers.handler")
local confs = {
  { request = { remove = { "X-Drop", "x-drop2" }, set = { ["X-Set"] = { "a", "b" }, ["x-set"] = "c", ["X-Empty"] = "", ["X-Num"] = 15 },
                add = { ["X-Add"] = "1", ["x-add"] = { "2", "3" }, ["X_Under"] = "u" } },
    response = { remove = { "X-R" }, set = { ["Cache-Control"] = "no-store", ["X-E"] = "" },
                 add = { ["Set-Cookie"] = { "a=1", "b=2" }, ["Content-Type"] = "text/plain", ["X_U"] = "u" } },
    hsts = true, nosniff = true, frame_options = "DENY" },
  { remove_server_headers = false, response = { set = { ["Server"] = "me" }, add = { ["server"] = "x", ["X-Powered-By"] = { "a", "" } } },
    request = { add = { ["X-A"] = "1", ["x-a"] = "2" }, set = { ["x-drop"] = { "", "" } } } },
}
for line in io.lines() do
  local c, rq, rs = line:match("^(%d+)\t([^\t]*)\t([^\t]*)$")
  REQ, RESP = parse(rq), parse(rs)
  h.rewrite(confs[tonumber(c)])
  h.header_filter(confs[tonumber(c)])
  io.write(show(REQ), "\t", show(RESP), "\n")
end
