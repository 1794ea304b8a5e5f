-- cors/handler.lua: Cross-Origin Resource Sharing answered at the edge.
--
-- access:        decide whether the request's Origin is allowed (exact origins, "*", or
--                anchored ngx.re patterns) and keep the Access-Control-Allow-Origin value in
--                ngx.ctx.cors_origin; answer preflights (OPTIONS + Access-Control-Request-Method)
--                here with 204, or 403 when the origin, method or a header is not allowed.
-- header_filter: put the CORS headers on the response of an allowed origin, remove the
--                upstream's own (the edge owns CORS for the customer), add Vary: Origin.

local ngx = ngx
local type = type
local ipairs = ipairs
local setmetatable = setmetatable
local str_lower = string.lower
local str_find = string.find
local str_sub = string.sub
local str_match = string.match
local str_format = string.format
local concat = table.concat

local ngx_log = ngx.log
local ngx_exit = ngx.exit
local ngx_say = ngx.say
local re_find = ngx.re.find
local get_headers = ngx.req.get_headers
local get_method = ngx.req.get_method
local ERR = ngx.ERR

local _M = { _VERSION = "1.0.0" }

local DEFAULT_METHODS = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE" }

local compiled = setmetatable({}, { __mode = "k" })

local function string_list(list, field)
    local out = {}
    if list == nil or list == ngx.null then
        return out
    end
    if type(list) ~= "table" then
        ngx_log(ERR, "cors: ", field, ": not a list of strings, ignored")
        return out
    end
    for i, v in ipairs(list) do
        if type(v) == "string" and v ~= "" then
            out[#out + 1] = v
        else
            ngx_log(ERR, "cors: ", field, "[", i, "]: not a string, ignored")
        end
    end
    return out
end

local function lower_set(list)
    local set = {}
    for i = 1, #list do
        set[str_lower(list[i])] = true
    end
    return set
end

local function compile(conf)
    local c = compiled[conf]
    if c then
        return c
    end
    local origins = string_list(conf.origins, "origins")
    local exact = lower_set(origins)
    local patterns = {}
    for i, p in ipairs(string_list(conf.origin_patterns, "origin_patterns")) do
        -- always anchored: an unanchored pattern would let https://example.com.evil.test in
        local anchored = "^(?:" .. p .. ")$"
        local _, _, err = re_find("", anchored, "jo")
        if err then
            ngx_log(ERR, "cors: origin_patterns[", i, "]: ", p, " (expected: a regex; ", err, "), ignored")
        else
            patterns[#patterns + 1] = anchored
        end
    end
    local methods = type(conf.methods) == "table" and string_list(conf.methods, "methods") or DEFAULT_METHODS
    local allow_headers, header_set
    if type(conf.headers) == "table" then
        local list = string_list(conf.headers, "headers")
        allow_headers = concat(list, ", ")
        header_set = lower_set(list)
    end
    local method_set = {}
    for i = 1, #methods do
        method_set[methods[i]] = true -- methods are case-sensitive (Fetch standard)
    end
    local expose = string_list(conf.expose_headers, "expose_headers")
    local max_age = conf.max_age
    if max_age == nil or max_age == ngx.null then
        max_age = 600
    end
    c = {
        any = exact["*"] == true,
        exact = exact,
        patterns = patterns,
        credentials = conf.credentials == true,
        methods = methods,
        method_set = method_set,
        allow_methods = concat(methods, ", "),
        allow_headers = allow_headers,      -- nil: the requested headers are reflected
        header_set = header_set,
        expose = #expose > 0 and concat(expose, ", ") or nil,
        max_age = type(max_age) == "number" and max_age >= 0 and str_format("%d", max_age) or nil,
        preflight_status = type(conf.preflight_status) == "number" and conf.preflight_status or 204,
    }
    compiled[conf] = c
    return c
end

-- the Access-Control-Allow-Origin value for this origin, or nil when it is not allowed
local function allowed_origin(c, origin)
    if type(origin) ~= "string" or origin == "" then
        return nil -- absent, or repeated: a browser sends exactly one
    end
    local lower = str_lower(origin)
    if c.exact[lower] then
        return origin
    end
    local patterns = c.patterns
    for i = 1, #patterns do
        if re_find(lower, patterns[i], "jo") then
            return origin
        end
    end
    if c.any then
        -- "*" cannot be combined with credentials: browsers then need the origin itself
        return c.credentials and origin or "*"
    end
    return nil
end

local function refuse(message)
    ngx.ctx.cors_origin = nil -- a refused preflight carries no CORS headers at all
    ngx.status = 403
    ngx.header["Content-Type"] = "text/plain"
    ngx_say(message)
    return ngx_exit(403)
end

-- every requested header must be allowed; "a, B ,c" -> a, b, c
local function headers_allowed(set, requested)
    local pos = 1
    local len = #requested
    while pos <= len do
        local comma = str_find(requested, ",", pos, true) or len + 1
        local name = str_match(str_sub(requested, pos, comma - 1), "^[ \t]*(.-)[ \t]*$")
        if name ~= "" and not set[str_lower(name)] then
            return false
        end
        pos = comma + 1
    end
    return true
end

local function add_vary_origin()
    local vary = ngx.header["Vary"]
    if vary == nil then
        ngx.header["Vary"] = "Origin"
        return
    end
    if type(vary) == "table" then
        vary = concat(vary, ", ")
    end
    local lower = str_lower(vary)
    if str_find(lower, "*", 1, true) or re_find(lower, "(^|[ ,])origin($|[ ,])", "jo") then
        return
    end
    ngx.header["Vary"] = vary .. ", Origin"
end

local function set_common(c, value)
    ngx.header["Access-Control-Allow-Origin"] = value
    if c.credentials then
        ngx.header["Access-Control-Allow-Credentials"] = "true"
    end
end

local function preflight(c, headers, value)
    if not value then
        return refuse("origin not allowed")
    end
    local method = headers["access-control-request-method"]
    if type(method) ~= "string" or not c.method_set[method] then
        return refuse("method not allowed")
    end
    local requested = headers["access-control-request-headers"]
    if type(requested) == "table" then
        requested = concat(requested, ",")
    end
    local allow_headers = c.allow_headers
    if allow_headers then
        if requested and not headers_allowed(c.header_set, requested) then
            return refuse("header not allowed")
        end
    else
        allow_headers = requested -- reflect what the client asked for
    end

    set_common(c, value)
    ngx.header["Access-Control-Allow-Methods"] = c.allow_methods
    if allow_headers and allow_headers ~= "" then
        ngx.header["Access-Control-Allow-Headers"] = allow_headers
    end
    if c.max_age then
        ngx.header["Access-Control-Max-Age"] = c.max_age
    end
    add_vary_origin()
    return ngx_exit(c.preflight_status)
end

function _M.access(conf)
    local c = compile(conf)
    local headers = get_headers()
    local value = allowed_origin(c, headers["origin"])
    local ctx = ngx.ctx
    ctx.cors_origin = value
    ctx.cors_checked = true

    if get_method() == "OPTIONS" and headers["origin"] ~= nil then
        local m = headers["access-control-request-method"]
        if m ~= nil and m ~= "" then
            ctx.cors_preflight = true
            return preflight(c, headers, value)
        end
    end
end

function _M.header_filter(conf)
    local c = compile(conf)
    local ctx = ngx.ctx
    local value = ctx.cors_origin
    if value == nil and not ctx.cors_checked then
        -- an earlier stage answered before our access ran (a 401, a redirect): the browser
        -- still needs the CORS headers to read that answer
        value = allowed_origin(c, get_headers()["origin"])
    end

    if value then
        set_common(c, value)
        if c.expose and not ctx.cors_preflight then
            ngx.header["Access-Control-Expose-Headers"] = c.expose
        end
    else
        ngx.header["Access-Control-Allow-Origin"] = nil
        ngx.header["Access-Control-Allow-Credentials"] = nil
        ngx.header["Access-Control-Expose-Headers"] = nil
    end
    add_vary_origin()
end

return _M
