-- cache: edge cache policy for responses. Decides Cache-Control per path rule, keeps
-- personalised requests out of shared caches, and publishes the cache key.
--
--   { "rules": [ {"prefix": "/static/", "ttl": 86400},
--                {"regex": "\\.(css|js)$", "ttl": 600, "cache_control": "public, max-age=600, immutable"} ],
--     "key_header": "X-Cache-Key", "bypass_cookies": ["session"], "statuses": [200, 301, 404] }
--
-- Phases: rewrite (key and rule, on the path the client asked for) and header_filter.
-- Only GET and HEAD are considered. The key is
--   METHOD " " host path ["?" args sorted]
-- with the host lower-cased, the normalised path re-escaped, and the query's pairs sorted
-- (raw, as sent) so that ?b=2&a=1 and ?a=1&b=2 share an entry.

local ngx = ngx
local type = type
local ipairs = ipairs
local tostring = tostring
local tonumber = tonumber
local setmetatable = setmetatable
local str_find = string.find
local str_sub = string.sub
local str_gsub = string.gsub
local str_byte = string.byte
local str_lower = string.lower
local str_format = string.format
local tbl_sort = table.sort
local tbl_concat = table.concat
local ngx_var = ngx.var
local ngx_header = ngx.header
local ngx_log = ngx.log
local ngx_re_find = ngx.re.find
local ngx_req_get_method = ngx.req.get_method
local ngx_req_get_headers = ngx.req.get_headers
local ERR = ngx.ERR

local _M = { PRIORITY = 100, VERSION = "1.0.0" }

local DEFAULT_STATUSES = { 200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501 }
local BYPASS_VALUE = "private, no-store"

local compiled = setmetatable({}, { __mode = "k" })

local function escape_byte(c)
    return str_format("%%%02X", str_byte(c))
end

local function escape_path(s)
    return (str_gsub(s, "[^A-Za-z0-9%-%._~/!%$&'%(%)%*%+,;=:@]", escape_byte))
end

local function invalid(field, value, expected)
    ngx_log(ERR, "cache: ", field, ": ", tostring(value), " (expected: ", expected, ")")
end

local function compile(conf)
    local c = { rules = {}, statuses = {}, any_cookie = false, cookies = nil }

    for i, r in ipairs(type(conf.rules) == "table" and conf.rules or {}) do
        local field = "rules[" .. i .. "]"
        local ttl = r.ttl
        if type(r) ~= "table" then
            invalid(field, r, "an object")
        elseif (r.prefix == nil) == (r.regex == nil) then
            invalid(field, "prefix/regex", "exactly one of prefix or regex")
        elseif r.prefix ~= nil and (type(r.prefix) ~= "string" or r.prefix == "") then
            invalid(field .. ".prefix", r.prefix, "a non-empty path prefix")
        elseif r.regex ~= nil and (type(r.regex) ~= "string" or not ngx_re_find("", "(?:" .. r.regex .. ")?", "jo")) then
            invalid(field .. ".regex", r.regex, "a valid regular expression")
        elseif r.cache_control == nil and (type(ttl) ~= "number" or ttl < 0 or ttl % 1 ~= 0 or ttl > 2147483647) then
            invalid(field .. ".ttl", ttl, "whole seconds >= 0")
        elseif r.cache_control ~= nil and (type(r.cache_control) ~= "string" or r.cache_control == "") then
            invalid(field .. ".cache_control", r.cache_control, "a Cache-Control value")
        else
            c.rules[#c.rules + 1] = {
                prefix = r.prefix,
                regex = r.regex,
                value = r.cache_control or str_format("public, max-age=%d", ttl),
                override = r.override_origin ~= false,
            }
        end
    end

    local statuses = conf.statuses
    if type(statuses) ~= "table" then
        if statuses ~= nil then
            invalid("statuses", statuses, "a list of status codes")
        end
        statuses = DEFAULT_STATUSES
    end
    for _, s in ipairs(statuses) do
        local n = tonumber(s)
        if n then
            c.statuses[n] = true
        end
    end

    local cookies = conf.bypass_cookies
    if cookies == nil then
        c.any_cookie = true
    elseif type(cookies) == "table" then
        c.cookies = {}
        for _, name in ipairs(cookies) do
            if name == "*" then
                c.any_cookie = true
            elseif type(name) == "string" and name ~= "" then
                c.cookies[#c.cookies + 1] = name
            end
        end
    else
        invalid("bypass_cookies", cookies, "a list of cookie names")
        c.any_cookie = true
    end

    c.bypass_authorization = conf.bypass_authorization ~= false
    c.private_on_set_cookie = conf.private_on_set_cookie ~= false
    local kh = conf.key_header
    if kh == nil then
        c.key_header = "X-Cache-Key"
    elseif type(kh) == "string" and kh ~= "" then
        c.key_header = kh
    end -- false or "": no header, the key is still kept in ngx.ctx
    return c
end

-- "b=2&a=1&&a=0" -> "a=0&a=1&b=2"
local function sorted_args(args)
    if not args or args == "" then
        return nil
    end
    if not str_find(args, "&", 1, true) then
        return args
    end
    local parts, n = {}, 0
    local start = 1
    while true do
        local amp = str_find(args, "&", start, true)
        local part = str_sub(args, start, (amp or 0) - 1)
        if part ~= "" then
            n = n + 1
            parts[n] = part
        end
        if not amp then
            break
        end
        start = amp + 1
    end
    if n == 0 then
        return nil
    end
    tbl_sort(parts)
    return tbl_concat(parts, "&")
end

local function cookie_names_present(cookie_header, names)
    if type(cookie_header) == "table" then
        cookie_header = tbl_concat(cookie_header, "; ")
    end
    -- each pair starts the header or follows ';' and optional spaces
    for i = 1, #names do
        local name = names[i]
        local pos = 1
        while true do
            local s, e = str_find(cookie_header, name .. "=", pos, true)
            if not s then
                break
            end
            local before = s > 1 and str_sub(cookie_header, 1, s - 1) or ""
            if s == 1 or str_find(before, ";[ \t]*$") then
                return true
            end
            pos = e + 1
        end
    end
    return false
end

local function has_cookie(cookie_header)
    if type(cookie_header) == "table" then
        for i = 1, #cookie_header do
            if str_find(cookie_header[i], "=", 1, true) then
                return true
            end
        end
        return false
    end
    return str_find(cookie_header, "=", 1, true) ~= nil
end

local function match_rule(rules, path)
    for i = 1, #rules do
        local r = rules[i]
        if r.prefix then
            if str_sub(path, 1, #r.prefix) == r.prefix then
                return r, i
            end
        elseif ngx_re_find(path, r.regex, "jo") then
            return r, i
        end
    end
    return nil
end

local function get_compiled(conf)
    local c = compiled[conf]
    if not c then
        c = compile(conf)
        compiled[conf] = c
    end
    return c
end

local function cache_key(method)
    local key = method .. " " .. str_lower(ngx_var.host or "") .. escape_path(ngx_var.uri or "/")
    local args = sorted_args(ngx_var.args)
    if args then
        key = key .. "?" .. args
    end
    return key
end

-- rewrite: the key and the rule are decided on the path the client asked for (after
-- normalize), before a later stage (router) rewrites the URI for the upstream
function _M.rewrite(conf)
    local method = ngx_req_get_method()
    if method ~= "GET" and method ~= "HEAD" then
        return
    end
    local c = get_compiled(conf)
    local ctx = ngx.ctx
    ctx.cache_key = cache_key(method)
    -- private to this module: the position of the matching rule, 0 for none
    local _, index = match_rule(c.rules, ngx_var.uri or "/")
    ctx.cache_rule = index or 0
end

function _M.header_filter(conf)
    local method = ngx_req_get_method()
    if method ~= "GET" and method ~= "HEAD" then
        return
    end
    local c = get_compiled(conf)
    local ctx = ngx.ctx
    local key = ctx.cache_key
    local rule = c.rules[ctx.cache_rule or 0]
    if not key then
        -- an earlier stage answered in rewrite before this module's rewrite ran
        key = cache_key(method)
        ctx.cache_key = key
        rule = match_rule(c.rules, ngx_var.uri or "/")
    end
    if c.key_header then
        ngx_header[c.key_header] = key
    end

    local headers = ngx_req_get_headers()
    local bypass = false
    if c.bypass_authorization and headers["authorization"] then
        bypass = true
    else
        local cookie = headers["cookie"]
        if cookie then
            if c.any_cookie then
                bypass = has_cookie(cookie)
            elseif c.cookies and #c.cookies > 0 then
                bypass = cookie_names_present(cookie, c.cookies)
            end
        end
    end
    if not bypass and c.private_on_set_cookie and ngx_header["Set-Cookie"] then
        bypass = true
    end
    if bypass then
        ngx_header["Cache-Control"] = BYPASS_VALUE
        return
    end

    if not rule or not c.statuses[ngx.status] then
        return
    end
    if not rule.override and ngx_header["Cache-Control"] then
        return
    end
    ngx_header["Cache-Control"] = rule.value
end

return _M
