-- router/balancer.lua: weighted, sticky choice of an origin inside a pool.
--
-- The choice must be the same on every engine that runs this script (nginx and Graft), so
-- it uses no random numbers: the target is picked by CRC-32 of a stable client key modulo
-- the total weight, walking the targets in their configured order. A sticky cookie whose
-- value names a live target (weight > 0) of the pool keeps the client on it.

local ngx = ngx
local type = type
local ipairs = ipairs
local str_find = string.find
local str_sub = string.sub
local str_match = string.match
local str_lower = string.lower
local str_format = string.format
local concat = table.concat

local crc32 = ngx.crc32_long
local ngx_log = ngx.log
local ERR = ngx.ERR

local _M = { _VERSION = "1.0.0" }

-- compile a pool's settings; returns the pool or nil and a reason
function _M.compile(name, p)
    if type(p) ~= "table" or type(p.targets) ~= "table" then
        return nil, "pools." .. name .. ".targets: missing (expected: a list of {upstream, weight})"
    end
    local targets = {}
    local live = {}
    local total = 0
    for i, t in ipairs(p.targets) do
        local upstream = type(t) == "table" and t.upstream
        local weight = type(t) == "table" and t.weight
        if weight == nil or weight == ngx.null then
            weight = 1
        end
        if type(upstream) ~= "string" or upstream == "" or type(weight) ~= "number" or weight < 0
           or weight % 1 ~= 0 then
            ngx_log(ERR, "router: pools.", name, ".targets[", i, "]: not {upstream=<name>, weight=<integer >= 0>}, ignored")
        elseif weight > 0 then
            total = total + weight
            targets[#targets + 1] = { upstream = upstream, upto = total }
            live[upstream] = true
        end
    end
    if total == 0 then
        return nil, "pools." .. name .. ": no target with a positive weight"
    end

    local cookie
    if p.sticky ~= false then
        cookie = type(p.cookie) == "string" and p.cookie ~= "" and p.cookie or ("graft_sticky_" .. name)
    end
    local attrs = { "; Path=", type(p.cookie_path) == "string" and p.cookie_path or "/" }
    if type(p.cookie_max_age) == "number" then
        attrs[#attrs + 1] = str_format("; Max-Age=%d", p.cookie_max_age)
    end
    attrs[#attrs + 1] = "; HttpOnly; SameSite=Lax"

    return {
        name = name,
        targets = targets,
        live = live,
        total = total,
        cookie = cookie,
        cookie_attrs = concat(attrs),
        -- get_headers() keys are lower case
        hash_header = type(p.hash_header) == "string" and p.hash_header ~= "" and str_lower(p.hash_header) or nil,
    }
end

-- the value of cookie `name` in the Cookie header(s), or nil; the first occurrence wins
local function cookie_value(header, name)
    if header == nil then
        return nil
    end
    if type(header) == "table" then
        header = concat(header, "; ")
    end
    local pos = 1
    local len = #header
    while pos <= len do
        local semi = str_find(header, ";", pos, true) or len + 1
        local pair = str_sub(header, pos, semi - 1)
        local k, v = str_match(pair, "^[ \t]*([^=]-)[ \t]*=[ \t]*(.-)[ \t]*$")
        if k == name then
            if str_find(v, '^".*"$') then
                v = str_sub(v, 2, -2)
            end
            return v
        end
        pos = semi + 1
    end
    return nil
end
_M.cookie_value = cookie_value

-- pick(pool, headers, client_key) -> upstream, set_cookie (nil when the cookie already fits)
function _M.pick(pool, headers, client_key)
    if pool.cookie then
        local v = cookie_value(headers["cookie"], pool.cookie)
        if v and pool.live[v] then
            return v, nil
        end
    end

    local key
    if pool.hash_header then
        key = headers[pool.hash_header]
        if type(key) == "table" then
            key = key[1]
        end
    end
    if type(key) ~= "string" or key == "" then
        key = client_key
    end

    local point = crc32(key) % pool.total
    local targets = pool.targets
    local chosen = targets[#targets].upstream
    for i = 1, #targets do
        if point < targets[i].upto then
            chosen = targets[i].upstream
            break
        end
    end

    local set_cookie
    if pool.cookie then
        set_cookie = pool.cookie .. "=" .. chosen .. pool.cookie_attrs
    end
    return chosen, set_cookie
end

return _M
