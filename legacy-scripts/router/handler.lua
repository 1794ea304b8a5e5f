-- router/handler.lua: picks the upstream of a request by host and path.
--
-- access: the first route (in order) whose hosts, methods and prefix or regex match decides:
--   upstream     -> that upstream, optionally with the prefix stripped from the path
--   pool         -> a weighted, sticky choice among the pool's upstreams (router/balancer.lua)
--   bucket       -> the object store: /<prefix><key> becomes /<bucket>/<key> on "bucket"
--   maintenance  -> a 503 page answered here
-- The choice goes to ngx.var.graft_upstream (nginx proxies to http://$graft_upstream) and the
-- route's name to ngx.ctx.route. header_filter sends the pool's sticky cookie when one was
-- chosen for this request.

local balancer = require("router.balancer")

local ngx = ngx
local type = type
local ipairs = ipairs
local pairs = pairs
local tostring = tostring
local setmetatable = setmetatable
local str_sub = string.sub
local str_lower = string.lower
local str_format = string.format

local ngx_log = ngx.log
local ngx_exit = ngx.exit
local ngx_say = ngx.say
local ngx_var = ngx.var
local re_find = ngx.re.find
local get_headers = ngx.req.get_headers
local get_method = ngx.req.get_method
local set_uri = ngx.req.set_uri
local set_uri_args = ngx.req.set_uri_args
local set_header = ngx.req.set_header
local ERR = ngx.ERR

local _M = { _VERSION = "1.0.0" }

local DEFAULT_PAGE = "<html><head><title>Maintenance</title></head>"
                     .. "<body><h1>Down for maintenance</h1><p>Please try again later.</p></body></html>"

local compiled = setmetatable({}, { __mode = "k" })

local function set_of(list, lower)
    if type(list) ~= "table" then
        return nil
    end
    local set = {}
    for _, v in ipairs(list) do
        if type(v) == "string" then
            set[lower and str_lower(v) or v] = true
        end
    end
    return set
end

local function compile_maintenance(m)
    if type(m) ~= "table" then
        m = {}
    end
    local retry = m.retry_after
    if type(retry) == "number" then
        retry = str_format("%d", retry)
    elseif type(retry) ~= "string" or retry == "" then
        retry = nil
    end
    return {
        body = type(m.body) == "string" and m.body or DEFAULT_PAGE,
        retry_after = retry,
    }
end

local function compile_route(r, i, pools)
    local field = "routes[" .. i .. "]"
    if type(r) ~= "table" then
        return nil, field .. ": not an object"
    end
    local route = {
        name = type(r.name) == "string" and r.name or ("route-" .. i),
        hosts = set_of(r.hosts, true),
        methods = set_of(r.methods, false),
        prefix = type(r.prefix) == "string" and r.prefix ~= "" and r.prefix or nil,
        regex = type(r.regex) == "string" and r.regex ~= "" and r.regex or nil,
        strip_prefix = r.strip_prefix == true,
    }
    if route.regex then
        local _, _, err = re_find("", route.regex, "jo")
        if err then
            return nil, field .. ".regex: " .. route.regex .. " (expected: a regex; " .. err .. ")"
        end
    end
    if r.maintenance == true or type(r.maintenance) == "table" then
        route.maintenance = compile_maintenance(r.maintenance)
    elseif type(r.bucket) == "string" and r.bucket ~= "" then
        if not route.prefix then
            return nil, field .. ".prefix: missing (expected: a bucket route maps <prefix><key>)"
        end
        route.bucket = r.bucket
        route.upstream = type(r.upstream) == "string" and r.upstream or "bucket"
        route.keep_query = r.keep_query == true
    elseif type(r.pool) == "string" then
        route.pool = pools[r.pool]
        if not route.pool then
            return nil, field .. ".pool: " .. r.pool .. " (expected: the name of a usable pool in pools)"
        end
    elseif type(r.upstream) == "string" and r.upstream ~= "" then
        route.upstream = r.upstream
    else
        return nil, field .. ": no action (expected: upstream, pool, bucket or maintenance)"
    end
    return route
end

local function compile(conf)
    local c = compiled[conf]
    if c then
        return c
    end
    local pools = {}
    if type(conf.pools) == "table" then
        for name, p in pairs(conf.pools) do
            local pool, why = balancer.compile(name, p)
            if pool then
                pools[name] = pool
            else
                ngx_log(ERR, "router: ", why)
            end
        end
    end
    local routes = {}
    if type(conf.routes) == "table" then
        for i, r in ipairs(conf.routes) do
            local route, why = compile_route(r, i, pools)
            if route then
                routes[#routes + 1] = route
            else
                ngx_log(ERR, "router: ", why, ", route ignored")
            end
        end
    end
    c = {
        routes = routes,
        default_upstream = type(conf.default_upstream) == "string" and conf.default_upstream ~= ""
                           and conf.default_upstream or nil,
        maintenance = (conf.maintenance == true or type(conf.maintenance) == "table")
                      and compile_maintenance(conf.maintenance) or nil,
        route_header = type(conf.route_header) == "string" and conf.route_header ~= ""
                       and conf.route_header or nil,
    }
    compiled[conf] = c
    return c
end

local function matches(route, host, method, uri)
    if route.hosts and not route.hosts[host] then
        return false
    end
    if route.methods and not route.methods[method] then
        return false
    end
    local prefix = route.prefix
    if prefix and str_sub(uri, 1, #prefix) ~= prefix then
        return false
    end
    if route.regex then
        if not re_find(uri, route.regex, "jo") then
            return false
        end
    end
    return true
end

local function maintenance_page(m)
    ngx.status = 503
    ngx.header["Content-Type"] = "text/html"
    ngx.header["Cache-Control"] = "no-store"
    if m.retry_after then
        ngx.header["Retry-After"] = m.retry_after
    end
    ngx_say(m.body)
    return ngx_exit(ngx.HTTP_SERVICE_UNAVAILABLE)
end

local function not_found()
    ngx.status = 404
    ngx.header["Content-Type"] = "text/plain"
    ngx_say("not found")
    return ngx_exit(404)
end

local function use(c, ctx, route_name, upstream)
    ngx_var.graft_upstream = upstream
    ctx.route = route_name
    if c.route_header then
        set_header(c.route_header, route_name)
    end
end

function _M.access(conf)
    local c = compile(conf)
    local ctx = ngx.ctx

    if c.maintenance then
        ctx.route = "maintenance"
        return maintenance_page(c.maintenance)
    end

    local uri = ngx_var.uri
    local host = ngx_var.host
    local method = get_method()
    local routes = c.routes
    for i = 1, #routes do
        local route = routes[i]
        if matches(route, host, method, uri) then
            if route.maintenance then
                ctx.route = route.name
                return maintenance_page(route.maintenance)
            end

            if route.bucket then
                local key = str_sub(uri, #route.prefix + 1)
                if key == "" then
                    ctx.route = route.name
                    return not_found()
                end
                set_uri("/" .. route.bucket .. "/" .. key)
                if not route.keep_query and ngx_var.args then
                    set_uri_args("")
                end
                return use(c, ctx, route.name, route.upstream)
            end

            if route.strip_prefix and route.prefix then
                local rest = str_sub(uri, #route.prefix + 1)
                if str_sub(rest, 1, 1) ~= "/" then
                    rest = "/" .. rest
                end
                set_uri(rest)
            end

            local upstream = route.upstream
            if route.pool then
                local client = ctx.client_ip or ngx_var.remote_addr
                local set_cookie
                upstream, set_cookie = balancer.pick(route.pool, get_headers(),
                                                     client .. "|" .. tostring(ctx.customer))
                ctx.router_set_cookie = set_cookie
            end
            return use(c, ctx, route.name, upstream)
        end
    end

    ctx.route = "default"
    if c.default_upstream then
        ngx_var.graft_upstream = c.default_upstream
    end
    if c.route_header then
        set_header(c.route_header, "default")
    end
end

function _M.header_filter(_conf) -- the cookie was decided in access
    local cookie = ngx.ctx.router_set_cookie
    if not cookie then
        return
    end
    local existing = ngx.header["Set-Cookie"]
    if existing == nil then
        ngx.header["Set-Cookie"] = cookie
    elseif type(existing) == "table" then
        existing[#existing + 1] = cookie
        ngx.header["Set-Cookie"] = existing
    else
        ngx.header["Set-Cookie"] = { existing, cookie }
    end
end

return _M
