-- redirects: per-customer redirect rules, first match wins.
--
--   { "rules": [ { "match": "exact"|"prefix"|"regex", "from": "/old", "to": "/new",
--                  "status": 301, "keep_query": true, "ignore_case": false } ] }
--
-- Rules are matched against the normalised, decoded path ($uri). The parts of the path that
-- go into the target (a prefix rule's remainder, regex captures) are escaped again, so a
-- decoded CR/LF or space can never reach the Location header raw. Rules are compiled once
-- per settings table; a broken rule is logged once and skipped, never fatal.

local ngx = ngx
local type = type
local ipairs = ipairs
local tonumber = tonumber
local tostring = tostring
local setmetatable = setmetatable
local str_find = string.find
local str_sub = string.sub
local str_gsub = string.gsub
local str_byte = string.byte
local str_char = string.char
local str_format = string.format
local ngx_var = ngx.var
local ngx_log = ngx.log
local ngx_redirect = ngx.redirect
local ngx_re_match = ngx.re.match
local ERR = ngx.ERR

local _M = { PRIORITY = 900, VERSION = "1.0.0" }

local STATUSES = { [301] = true, [302] = true, [303] = true, [307] = true, [308] = true }
local MATCHES = { exact = true, prefix = true, regex = true }

-- settings table -> compiled rule list; weak keys: a reloaded config frees its entries
local compiled = setmetatable({}, { __mode = "k" })

-- ASCII-only lower case, byte for byte: Lua's string.lower in the C locale does the same,
-- while a host whose string.lower goes through Unicode could change bytes and lengths
local ASCII_LOWER = {}
for c = 65, 90 do
    ASCII_LOWER[str_char(c)] = str_char(c + 32)
end

local function ascii_lower(s)
    return (str_gsub(s, "[A-Z]", ASCII_LOWER))
end

local function escape_byte(c)
    return str_format("%%%02X", str_byte(c))
end

-- re-escape decoded path text for a Location header: keeps '/' and the sub-delims
local function escape_path(s)
    if s == nil or s == "" then
        return ""
    end
    return (str_gsub(s, "[^A-Za-z0-9%-%._~/!%$&'%(%)%*%+,;=:@]", escape_byte))
end

local function invalid(i, field, value, expected)
    ngx_log(ERR, "redirects: rules[", i, "].", field, ": ", tostring(value),
            " (expected: ", expected, "); rule skipped")
end

local function compile(conf)
    local rules = {}
    local list = conf.rules
    if list ~= nil and type(list) ~= "table" then
        ngx_log(ERR, "redirects: rules: ", tostring(list), " (expected: a list of rules)")
        return rules
    end
    for i, r in ipairs(list or {}) do
        local match = r.match or "exact"
        local status = r.status == nil and 301 or tonumber(r.status)
        if not MATCHES[match] then
            invalid(i, "match", match, "exact, prefix or regex")
        elseif type(r.from) ~= "string" or r.from == "" then
            invalid(i, "from", r.from, "a non-empty string")
        elseif type(r.to) ~= "string" or r.to == "" then
            invalid(i, "to", r.to, "a non-empty string")
        elseif not STATUSES[status] then
            invalid(i, "status", r.status, "301, 302, 303, 307 or 308")
        elseif match == "regex" and not ngx_re_match("", "(?:" .. r.from .. ")?", "jo") then
            -- compiling once here: a pattern PCRE refuses is reported now, not per request
            invalid(i, "from", r.from, "a valid regular expression")
        else
            local ignore_case = r.ignore_case == true
            local from = r.from
            if ignore_case and match ~= "regex" then
                from = ascii_lower(from)
            end
            rules[#rules + 1] = {
                match = match,
                from = from,
                to = r.to,
                status = status,
                keep_query = r.keep_query ~= false,
                ignore_case = ignore_case,
                flags = ignore_case and "joi" or "jo",
            }
        end
    end
    return rules
end

-- prefix rules match whole segments: "/old" matches "/old" and "/old/x", not "/older"
local function prefix_rest(path, from)
    local n = #from
    if str_sub(path, 1, n) ~= from then
        return nil
    end
    if #path == n or str_byte(from, n) == 47 or str_byte(path, n + 1) == 47 then
        return str_sub(path, n + 1)
    end
    return nil
end

local function expand(to, m)
    return (str_gsub(to, "%$(%d)", function(d)
        local v = m[tonumber(d)]
        -- a group that did not take part in the match is false, one beyond the pattern nil
        if type(v) ~= "string" then
            return ""
        end
        return escape_path(v)
    end))
end

local function target_for(rule, path, cmp_path)
    local match = rule.match
    if match == "exact" then
        if cmp_path == rule.from then
            return rule.to
        end
    elseif match == "prefix" then
        local rest = prefix_rest(cmp_path, rule.from)
        if rest then
            -- the remainder is taken from the original-case path
            return rule.to .. escape_path(str_sub(path, #path - #rest + 1))
        end
    else
        local m, err = ngx_re_match(path, rule.from, rule.flags)
        if m then
            return expand(rule.to, m)
        end
        if err then
            ngx_log(ERR, "redirects: regex ", rule.from, ": ", err)
        end
    end
    return nil
end

function _M.rewrite(conf)
    local rules = compiled[conf]
    if not rules then
        rules = compile(conf)
        compiled[conf] = rules
    end
    if #rules == 0 then
        return
    end

    local path = ngx_var.uri
    local lower_path
    for i = 1, #rules do
        local rule = rules[i]
        local cmp_path = path
        if rule.ignore_case and rule.match ~= "regex" then
            lower_path = lower_path or ascii_lower(path)
            cmp_path = lower_path
        end
        local target = target_for(rule, path, cmp_path)
        if target then
            if rule.keep_query then
                local args = ngx_var.args
                if args and args ~= "" then
                    local sep = str_find(target, "?", 1, true) and "&" or "?"
                    target = target .. sep .. args
                end
            end
            return ngx_redirect(target, rule.status)
        end
    end
end

return _M
