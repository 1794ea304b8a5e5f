-- headers: per-customer request and response header edits, security headers, and removal
-- of the headers that give away the stack.
--
--   rewrite:        request.remove, request.set, request.add (in that order)
--   header_filter:  response.remove, response.set, response.add, then the security headers,
--                   then Server / X-Powered-By removal
--
-- Header names in the config are objects' keys; they are applied in sorted order (by
-- lower-cased name) so that two spellings of one name give the same result on every host.
-- Each settings table is compiled once into lists.

local ngx = ngx
local type = type
local pairs = pairs
local ipairs = ipairs
local tostring = tostring
local setmetatable = setmetatable
local str_lower = string.lower
local str_format = string.format
local tbl_sort = table.sort
local ngx_log = ngx.log
local ngx_header = ngx.header
local ngx_req_get_headers = ngx.req.get_headers
local ngx_req_set_header = ngx.req.set_header
local ngx_req_clear_header = ngx.req.clear_header
local ERR = ngx.ERR

local _M = { PRIORITY = 800, VERSION = "1.0.0" }

local FRAME_OPTIONS = { DENY = true, SAMEORIGIN = true }

local compiled = setmetatable({}, { __mode = "k" })

local function by_lower_name(a, b)
    local la, lb = str_lower(a[1]), str_lower(b[1])
    if la == lb then
        return a[1] < b[1]
    end
    return la < lb
end

-- {name = value | {values}} -> sorted { {name, {values}} }
local function name_values(where, obj)
    local out = {}
    if obj == nil then
        return out
    end
    if type(obj) ~= "table" then
        ngx_log(ERR, "headers: ", where, ": ", tostring(obj), " (expected: an object of header names)")
        return out
    end
    for name, v in pairs(obj) do
        local values
        if type(v) == "table" then
            values = {}
            for _, x in ipairs(v) do
                values[#values + 1] = tostring(x)
            end
        elseif type(v) == "string" or type(v) == "number" or type(v) == "boolean" then
            values = { tostring(v) }
        end
        if type(name) ~= "string" or name == "" or not values then
            ngx_log(ERR, "headers: ", where, ".", tostring(name), ": ", tostring(v),
                    " (expected: a string or a list of strings)")
        else
            out[#out + 1] = { name, values }
        end
    end
    tbl_sort(out, by_lower_name)
    return out
end

local function names(where, list)
    local out = {}
    if list == nil then
        return out
    end
    if type(list) ~= "table" then
        ngx_log(ERR, "headers: ", where, ": ", tostring(list), " (expected: a list of header names)")
        return out
    end
    for _, name in ipairs(list) do
        if type(name) == "string" and name ~= "" then
            out[#out + 1] = name
        end
    end
    tbl_sort(out)
    return out
end

local function hsts_value(h)
    if h == nil or h == false then
        return nil
    end
    if h == true then
        h = {}
    end
    if type(h) ~= "table" then
        ngx_log(ERR, "headers: hsts: ", tostring(h), " (expected: an object or true)")
        return nil
    end
    local max_age = h.max_age
    if max_age == nil then
        max_age = 31536000
    end
    -- bounded to 32 bits: some hosts' %d wraps above
    if type(max_age) ~= "number" or max_age < 0 or max_age % 1 ~= 0 or max_age > 2147483647 then
        ngx_log(ERR, "headers: hsts.max_age: ", tostring(max_age), " (expected: whole seconds >= 0)")
        return nil
    end
    local v = str_format("max-age=%d", max_age)
    if h.include_subdomains then
        v = v .. "; includeSubDomains"
    end
    if h.preload then
        v = v .. "; preload"
    end
    return v
end

local function compile(conf)
    local req = conf.request or {}
    local resp = conf.response or {}
    local c = {
        req_remove = names("request.remove", req.remove),
        req_set = name_values("request.set", req.set),
        req_add = name_values("request.add", req.add),
        resp_remove = names("response.remove", resp.remove),
        resp_set = name_values("response.set", resp.set),
        resp_add = name_values("response.add", resp.add),
        security = {},
        hide_server = conf.remove_server_headers ~= false,
    }
    c.has_request = #c.req_remove + #c.req_set + #c.req_add > 0

    local sec = c.security
    local hsts = hsts_value(conf.hsts)
    if hsts then
        sec[#sec + 1] = { "Strict-Transport-Security", hsts }
    end
    if conf.nosniff then
        sec[#sec + 1] = { "X-Content-Type-Options", "nosniff" }
    end
    local fo = conf.frame_options
    if fo ~= nil then
        if type(fo) == "string" and FRAME_OPTIONS[fo] then
            sec[#sec + 1] = { "X-Frame-Options", fo }
        else
            ngx_log(ERR, "headers: frame_options: ", tostring(fo), " (expected: DENY or SAMEORIGIN)")
        end
    end
    if type(conf.csp) == "string" and conf.csp ~= "" then
        sec[#sec + 1] = { "Content-Security-Policy", conf.csp }
    end
    if type(conf.referrer_policy) == "string" and conf.referrer_policy ~= "" then
        sec[#sec + 1] = { "Referrer-Policy", conf.referrer_policy }
    end
    return c
end

local function get_compiled(conf)
    local c = compiled[conf]
    if not c then
        c = compile(conf)
        compiled[conf] = c
    end
    return c
end

local function append(existing, values)
    local out = {}
    if type(existing) == "table" then
        for i = 1, #existing do
            out[#out + 1] = existing[i]
        end
    elseif existing ~= nil then
        out[1] = existing
    end
    for i = 1, #values do
        out[#out + 1] = values[i]
    end
    if #out == 1 then
        return out[1]
    end
    return out
end

local function single(values)
    if #values == 1 then
        return values[1]
    end
    return values
end

function _M.rewrite(conf)
    local c = get_compiled(conf)
    if not c.has_request then
        return
    end
    for _, name in ipairs(c.req_remove) do
        ngx_req_clear_header(name)
    end
    for _, nv in ipairs(c.req_set) do
        ngx_req_set_header(nv[1], single(nv[2]))
    end
    if #c.req_add > 0 then
        local current = ngx_req_get_headers()
        for _, nv in ipairs(c.req_add) do
            local name = nv[1]
            local value = append(current[name], nv[2])
            ngx_req_set_header(name, value)
        end
    end
end

function _M.header_filter(conf)
    local c = get_compiled(conf)
    for _, name in ipairs(c.resp_remove) do
        ngx_header[name] = nil
    end
    for _, nv in ipairs(c.resp_set) do
        ngx_header[nv[1]] = single(nv[2])
    end
    for _, nv in ipairs(c.resp_add) do
        local name = nv[1]
        ngx_header[name] = append(ngx_header[name], nv[2])
    end
    for _, kv in ipairs(c.security) do
        ngx_header[kv[1]] = kv[2]
    end
    if c.hide_server then
        ngx_header["Server"] = nil
        ngx_header["X-Powered-By"] = nil
    end
end

return _M
