-- accesslog: one JSON object per request, written in the log phase.
--
-- Sink: the error log, at NOTICE by default, the message starting with "graft-access ":
--   ... [lua] handler.lua:NN: graft-access {"customer":"shop",...} while logging request, ...
-- Both nginx and Graft's host have ngx.log; a collector greps the prefix.
--
-- The line is built here rather than with cjson.encode: keys come out sorted (stable lines,
-- diffable between hosts), numbers that nginx hands over as text ($request_time,
-- $bytes_sent) are copied verbatim, and nothing depends on how a VM prints floats.

local ngx = ngx
local type = type
local pairs = pairs
local ipairs = ipairs
local tostring = tostring
local next = next
local setmetatable = setmetatable
local math_floor = math.floor
local str_byte = string.byte
local str_sub = string.sub
local str_gsub = string.gsub
local str_find = string.find
local str_lower = string.lower
local str_format = string.format
local tbl_sort = table.sort
local tbl_concat = table.concat
local ngx_var = ngx.var
local ngx_log = ngx.log
local ngx_req_get_method = ngx.req.get_method
local ngx_req_get_headers = ngx.req.get_headers
local ERR = ngx.ERR

local _M = { PRIORITY = 1, VERSION = "1.0.0" }

local PREFIX = "graft-access "
local LEVELS = { notice = ngx.NOTICE, info = ngx.INFO, warn = ngx.WARN, err = ngx.ERR }
local MAX_DEPTH = 4

local compiled = setmetatable({}, { __mode = "k" })

local ESCAPES = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

local function escape_char(c)
    return ESCAPES[c] or str_format("\\u%04x", str_byte(c))
end

local function json_string(s, max_len)
    if max_len and #s > max_len then
        s = str_sub(s, 1, max_len) .. "..."
    end
    if str_find(s, '[%c"\\]') then
        s = str_gsub(s, '[%c"\\]', escape_char)
    end
    return '"' .. s .. '"'
end

-- integers as %d; other numbers with millisecond precision, without relying on %f
local function json_number(n)
    if n ~= n or n == math.huge or n == -math.huge then
        return "null"
    end
    local sign = ""
    if n < 0 then
        sign = "-"
        n = -n
    end
    if n % 1 == 0 then
        if n < 2147483648 then
            return sign .. str_format("%d", n)
        end
        if n < 2^53 then
            -- LuaJ's %d wraps above 32 bits: print in two parts
            local hi = math_floor(n / 1000000)
            return str_format("%s%d%06d", sign, hi, n - hi * 1000000)
        end
        return "null"
    end
    local ms = math_floor(n * 1000 + 0.5)
    return str_format("%s%d.%03d", sign, math_floor(ms / 1000), ms % 1000)
end

-- a number as nginx prints it in a variable ("0.004", "1523"): copied when it looks numeric
local function json_var_number(v)
    if v and v ~= "" and str_find(v, "^%d+%.?%d*$") then
        return v
    end
    return nil
end

local encode

local function sorted_keys(t)
    local keys = {}
    for k in pairs(t) do
        keys[#keys + 1] = tostring(k)
    end
    tbl_sort(keys)
    return keys
end

local function is_list(t)
    local n = #t
    if n == 0 then
        return false
    end
    local count = 0
    for _ in pairs(t) do
        count = count + 1
    end
    return count == n
end

encode = function(v, max_len, depth)
    local tv = type(v)
    if tv == "string" then
        return json_string(v, max_len)
    elseif tv == "number" then
        return json_number(v)
    elseif tv == "boolean" then
        return v and "true" or "false"
    elseif tv == "table" then
        if depth >= MAX_DEPTH then
            return '"..."'
        end
        local out = {}
        if next(v) == nil then
            return "[]" -- an empty table is logged as an empty list (no matches, no values)
        end
        if is_list(v) then
            for i = 1, #v do
                out[i] = encode(v[i], max_len, depth + 1)
            end
            return "[" .. tbl_concat(out, ",") .. "]"
        end
        -- object: string keys only; other keys are stringified (sorted as text)
        local byname = {}
        for k, x in pairs(v) do
            byname[tostring(k)] = x
        end
        for _, k in ipairs(sorted_keys(byname)) do
            local x = byname[k]
            if x ~= nil and type(x) ~= "function" and type(x) ~= "userdata" then
                out[#out + 1] = json_string(k) .. ":" .. encode(x, max_len, depth + 1)
            end
        end
        return "{" .. tbl_concat(out, ",") .. "}"
    end
    return "null"
end

local function compile(conf)
    local c = { level = ngx.NOTICE, headers = {}, exclude = {}, max_len = 256 }
    if conf.level ~= nil then
        local lv = type(conf.level) == "string" and LEVELS[str_lower(conf.level)]
        if lv then
            c.level = lv
        else
            ngx_log(ERR, "accesslog: level: ", tostring(conf.level), " (expected: notice, info, warn or err)")
        end
    end
    if type(conf.request_headers) == "table" then
        for _, name in ipairs(conf.request_headers) do
            if type(name) == "string" and name ~= "" then
                c.headers[#c.headers + 1] = str_lower(name)
            end
        end
        tbl_sort(c.headers)
    elseif conf.request_headers ~= nil then
        ngx_log(ERR, "accesslog: request_headers: ", tostring(conf.request_headers),
                " (expected: a list of header names)")
    end
    if type(conf.exclude_paths) == "table" then
        for _, p in ipairs(conf.exclude_paths) do
            if type(p) == "string" and p ~= "" then
                c.exclude[#c.exclude + 1] = p
            end
        end
    end
    local ml = conf.max_value_length
    if ml ~= nil then
        if type(ml) == "number" and ml >= 16 and ml % 1 == 0 then
            c.max_len = ml
        else
            ngx_log(ERR, "accesslog: max_value_length: ", tostring(ml), " (expected: an integer >= 16)")
        end
    end
    return c
end

local function add(fields, key, encoded)
    if encoded ~= nil then
        fields[#fields + 1] = '"' .. key .. '":' .. encoded
    end
end

local function str_or_nil(v, max_len)
    if v == nil or v == "" then
        return nil
    end
    return json_string(tostring(v), max_len)
end

function _M.log(conf)
    local c = compiled[conf]
    if not c then
        c = compile(conf)
        compiled[conf] = c
    end

    local uri = ngx_var.uri or ""
    for i = 1, #c.exclude do
        local p = c.exclude[i]
        if str_sub(uri, 1, #p) == p then
            return
        end
    end

    local ctx = ngx.ctx
    local ml = c.max_len
    -- keys added in sorted order: the line is stable without sorting at run time
    local f = {}
    if ctx.auth_user ~= nil then
        add(f, "auth_user", encode(ctx.auth_user, ml, 1))
    end
    add(f, "bytes_sent", json_var_number(ngx_var.bytes_sent))
    add(f, "cache_key", str_or_nil(ctx.cache_key, ml))
    add(f, "client", str_or_nil(ngx_var.remote_addr, ml))
    -- the address ip_rules resolved through trusted proxies, when it differs from the peer
    if ctx.client_ip ~= nil and ctx.client_ip ~= ngx_var.remote_addr then
        add(f, "client_ip", str_or_nil(ctx.client_ip, ml))
    end
    add(f, "customer", str_or_nil(ctx.customer, ml))
    if #c.headers > 0 then
        local req_headers = ngx_req_get_headers()
        local h = {}
        for i = 1, #c.headers do
            local name = c.headers[i]
            local v = req_headers[name]
            if v ~= nil then
                h[#h + 1] = json_string(name) .. ":" .. encode(v, ml, 2)
            end
        end
        add(f, "headers", "{" .. tbl_concat(h, ",") .. "}")
    end
    add(f, "host", str_or_nil(ngx_var.host, ml))
    add(f, "method", str_or_nil(ngx_req_get_method(), ml))
    if ctx.ratelimit ~= nil then
        add(f, "ratelimit", encode(ctx.ratelimit, ml, 1))
    end
    add(f, "request_id", str_or_nil(ngx_var.request_id, ml))
    add(f, "request_time", json_var_number(ngx_var.request_time))
    add(f, "route", str_or_nil(ctx.route, ml))
    add(f, "status", json_number(ngx.status or 0))
    add(f, "time", str_or_nil(ngx_var.time_iso8601, ml))
    local upstream_addr = ngx_var.upstream_addr
    if upstream_addr and upstream_addr ~= "" then
        add(f, "upstream", str_or_nil(ngx_var.graft_upstream, ml))
        add(f, "upstream_addr", str_or_nil(upstream_addr, ml))
        add(f, "upstream_status", str_or_nil(ngx_var.upstream_status, ml))
        add(f, "upstream_time", str_or_nil(ngx_var.upstream_response_time, ml))
    end
    add(f, "uri", str_or_nil(ngx_var.request_uri, ml))
    if ctx.waf_matches ~= nil or ctx.waf_score ~= nil then
        local waf = {}
        if ctx.waf_matches ~= nil then
            waf[#waf + 1] = '"matches":' .. encode(ctx.waf_matches, ml, 2)
        end
        if type(ctx.waf_score) == "number" then
            waf[#waf + 1] = '"score":' .. json_number(ctx.waf_score)
        end
        add(f, "waf", "{" .. tbl_concat(waf, ",") .. "}")
    end

    ngx_log(c.level, PREFIX, "{", tbl_concat(f, ","), "}")
end

-- exposed for the host's tests and for tools that want the same encoding
_M.encode = function(v, max_len)
    return encode(v, max_len, 1)
end

return _M
