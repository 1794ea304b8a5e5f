-- ratelimit/handler.lua: per-customer request rate limits over ngx.shared.ratelimit.
--
-- access: every rule of the customer that applies to the request (match_prefix) counts the
-- request against its key (client address, a request header, or the path prefix) in the
-- current window. The first rule over its limit answers 429 with Retry-After; otherwise
-- the most restrictive rule (least remaining) is published as ngx.ctx.ratelimit.
-- header_filter: RateLimit-Limit / -Remaining / -Reset from ngx.ctx.ratelimit, on every
-- response (proxied, 429, or produced by another stage after this one ran).
--
-- Algorithms:
--   fixed    one counter per window (windows aligned on multiples of the window length),
--            incremented atomically with incr(key, 1, 0, ttl); a refused request counts.
--   sliding  previous window's count weighted by the part of it still inside the sliding
--            window, plus the current count. Computed in integers (scaled by the window) so
--            both hosts agree to the last request; a refused request does not count, so a
--            client that keeps retrying recovers as the previous window slides out.
--
-- Counter keys carry the customer's name: customers never share counters. Shared-dict
-- failures (no dict, no memory) fail open and are logged.

local ngx = ngx
local type = type
local ipairs = ipairs
local tostring = tostring
local setmetatable = setmetatable
local math_floor = math.floor
local str_sub = string.sub
local str_lower = string.lower
local str_match = string.match
local str_format = string.format

local ngx_log = ngx.log
local ngx_exit = ngx.exit
local ngx_say = ngx.say
local ngx_time = ngx.time
local ngx_var = ngx.var
local ngx_md5 = ngx.md5
local req_get_headers = ngx.req.get_headers

local ERR = ngx.ERR
local INFO = ngx.INFO

local _M = { PRIORITY = 910, _VERSION = "1.0.0" }

local DICT_NAME = "ratelimit"
local DEFAULT_STATUS = 429
local MAX_KEY_VALUE = 64 -- longer key values (headers) are hashed

local prepared = setmetatable({}, { __mode = "k" })

-- limits and windows reach headers through %d, which wraps above 32 bits on LuaJ
local MAX_INT = 2147483647

local function positive_int(v)
    return type(v) == "number" and v >= 1 and v <= MAX_INT and v == math_floor(v)
end

-- a rule from the settings -> the internal record, or nil and why
local function compile_rule(r, i)
    local field = "rules[" .. i .. "]"
    if type(r) ~= "table" then
        return nil, field .. ": (expected: an object)"
    end
    local name = r.name
    if type(name) ~= "string" or name == "" then
        name = "rule" .. i
    end
    local key = r.key or "client"
    local kind, header
    if key == "client" or key == "path_prefix" then
        kind = key
    else
        header = type(key) == "string" and str_match(key, "^header:(.+)$")
        if not header then
            return nil, field .. ".key: " .. tostring(key)
                        .. " (expected: client, path_prefix or header:<Name>)"
        end
        kind = "header"
        header = str_lower(header)
    end
    if not positive_int(r.limit) then
        return nil, field .. ".limit: " .. tostring(r.limit) .. " (expected: an integer from 1 to 2147483647)"
    end
    if not positive_int(r.window) then
        return nil, field .. ".window: " .. tostring(r.window) .. " (expected: seconds, an integer from 1 to 2147483647)"
    end
    local algorithm = r.algorithm or "fixed"
    if algorithm ~= "fixed" and algorithm ~= "sliding" then
        return nil, field .. ".algorithm: " .. tostring(algorithm) .. " (expected: fixed or sliding)"
    end
    local prefix = r.match_prefix
    if prefix ~= nil and (type(prefix) ~= "string" or prefix == "") then
        return nil, field .. ".match_prefix: " .. tostring(prefix) .. " (expected: a path prefix)"
    end
    return {
        name = name,
        kind = kind,
        header = header,
        prefix = prefix,
        limit = r.limit,
        window = r.window,
        sliding = algorithm == "sliding",
    }
end

local function prepare(conf)
    local p = prepared[conf]
    if p then
        return p
    end
    local rules = {}
    if type(conf.rules) == "table" then
        for i, r in ipairs(conf.rules) do
            local rule, why = compile_rule(r, i)
            if rule then
                rules[#rules + 1] = rule
            else
                ngx_log(ERR, "ratelimit: ", why, ", rule ignored")
            end
        end
    else
        ngx_log(ERR, "ratelimit: rules: (expected: a list of rules), nothing is limited")
    end
    local status = conf.status
    if status == nil then
        status = DEFAULT_STATUS
    elseif type(status) ~= "number" or status < 400 or status > 599 or status ~= math_floor(status) then
        ngx_log(ERR, "ratelimit: status: ", tostring(status), " (expected: an HTTP status from 400 to 599), using ",
                DEFAULT_STATUS)
        status = DEFAULT_STATUS
    end
    p = {
        rules = rules,
        status = status,
        message = type(conf.message) == "string" and conf.message or "Too Many Requests",
        headers = conf.headers ~= false,
    }
    prepared[conf] = p
    return p
end

local function client_address()
    -- ip_rules publishes the address it resolved through trusted proxies
    local ip = ngx.ctx.client_ip
    if type(ip) == "string" and ip ~= "" then
        return ip
    end
    return ngx_var.remote_addr or "-"
end

local function first_header(name)
    local v = req_get_headers()[name]
    if type(v) == "table" then
        v = v[1]
    end
    return v
end

-- the value the rule counts by; nil when the rule does not apply to this request
local function rule_key(rule, uri)
    local prefix = rule.prefix
    if prefix and str_sub(uri, 1, #prefix) ~= prefix then
        return nil
    end
    local kind = rule.kind
    if kind == "client" then
        return "c=" .. client_address()
    elseif kind == "path_prefix" then
        return "p=" .. (prefix or str_match(uri, "^/[^/]*") or "/")
    end
    local v = first_header(rule.header)
    if v == nil or v == "" then
        -- without the header the caller is limited by address: omitting it is no way out
        return "c=" .. client_address()
    end
    if #v > MAX_KEY_VALUE then
        v = ngx_md5(v)
    end
    return "h=" .. v
end

-- counts the request for one rule; returns allowed, remaining, reset (seconds)
local function count(dict, prefix, rule, key, now)
    local window = rule.window
    local start = now - now % window
    local reset = start + window - now
    local base = prefix .. rule.name .. ":" .. key .. ":"
    -- tostring: epoch seconds pass 2^31 in 2038, where %d would wrap on LuaJ
    local cur_key = base .. tostring(start)

    if not rule.sliding then
        local n, err = dict:incr(cur_key, 1, 0, window)
        if not n then
            ngx_log(ERR, "ratelimit: shared dict incr failed: ", err, ", request allowed")
            return true, rule.limit, reset
        end
        local remaining = rule.limit - n
        if remaining < 0 then
            return false, 0, reset
        end
        return true, remaining, reset
    end

    -- sliding: estimate * window = prev * (window - elapsed) + (cur + 1) * window
    local elapsed = now - start
    local prev = dict:get(base .. tostring(start - window)) or 0
    local cur = dict:get(cur_key) or 0
    local scaled = prev * (window - elapsed) + (cur + 1) * window
    local budget = rule.limit * window
    if scaled > budget then
        return false, 0, reset
    end
    -- the counter lives two windows: it is the "previous" one during the next
    local _, err = dict:incr(cur_key, 1, 0, 2 * window)
    if err then
        ngx_log(ERR, "ratelimit: shared dict incr failed: ", err)
    end
    return true, math_floor((budget - scaled) / window), reset
end

local function set_headers(rl)
    local h = ngx.header
    h["RateLimit-Limit"] = str_format("%d", rl.limit)
    h["RateLimit-Remaining"] = str_format("%d", rl.remaining)
    h["RateLimit-Reset"] = str_format("%d", rl.reset)
end

function _M.access(conf)
    local p = prepare(conf)
    local rules = p.rules
    if #rules == 0 then
        return
    end
    local dict = ngx.shared[DICT_NAME]
    if not dict then
        ngx_log(ERR, "ratelimit: lua_shared_dict ", DICT_NAME, " is not configured, request allowed")
        return
    end

    local ctx = ngx.ctx
    local prefix = (ctx.customer or "-") .. ":"
    local uri = ngx_var.uri
    local now = ngx_time()
    local chosen

    for i = 1, #rules do
        local rule = rules[i]
        local key = rule_key(rule, uri)
        if key then
            local allowed, remaining, reset = count(dict, prefix, rule, key, now)
            if not allowed then
                local rl = { rule = rule.name, limit = rule.limit, remaining = 0, reset = reset }
                ctx.ratelimit = rl
                -- the client address, not the key: a header key may be a credential
                ngx_log(INFO, "ratelimit: customer=", ctx.customer or "-", " rule=", rule.name,
                        " client=", client_address(), " limit=", str_format("%d", rule.limit), " refused")
                ngx.status = p.status
                ngx.header["Retry-After"] = str_format("%d", reset)
                ngx.header["Content-Type"] = "text/plain"
                set_headers(rl)
                ngx_say(p.message)
                return ngx_exit(p.status)
            end
            if not chosen or remaining < chosen.remaining then
                chosen = { rule = rule.name, limit = rule.limit, remaining = remaining, reset = reset }
            end
        end
    end

    if chosen then
        ctx.ratelimit = chosen
    end
end

function _M.header_filter(conf)
    local rl = ngx.ctx.ratelimit
    if not rl then
        return
    end
    local p = prepare(conf)
    if not p.headers and ngx.status ~= p.status then
        return
    end
    set_headers(rl)
end

return _M
