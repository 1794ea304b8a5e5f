-- pipeline.lua: the legacy edge pipeline driver.
--
--   init_by_lua:       require("pipeline").init(config)   -- config = decoded graft.json
--   every phase:       require("pipeline").run("rewrite") -- access, content, header_filter, ...
--
-- The customer is resolved once per request (rewrite) from the Host header. Then, phase by
-- phase, every pipeline module that implements the phase and has settings for the customer
-- is called in pipeline order as handler[phase](conf). The per-customer call lists are built
-- once in init so that run() is a table lookup and a loop.
--
-- Errors raised by a module are deliberately not caught here: on nginx they end the request
-- with a 500, and Graft's host contains them the same way.

local ngx = ngx
local type = type
local ipairs = ipairs
local pairs = pairs
local require = require
local error = error
local tostring = tostring
local str_lower = string.lower
local str_find = string.find
local str_sub = string.sub
local str_byte = string.byte
local tbl_sort = table.sort
local ngx_exit = ngx.exit
local ngx_now = ngx.now
local ngx_log = ngx.log
local ngx_var = ngx.var
local ngx_req = ngx.req
local ngx_req_get_headers = ngx.req.get_headers
local ERR = ngx.ERR
local WARN = ngx.WARN

local _M = { _VERSION = "1.0.0" }

local PHASES = { "rewrite", "access", "content", "header_filter", "body_filter", "log" }

-- phases that can still refuse a request; the customer is resolved there if rewrite did not run
local REQUEST_PHASES = { rewrite = true, access = true, content = true }

local config          -- the decoded config, as given to init
local host_index      -- lower-cased host -> customer name
local chains          -- customer name -> phase -> { handler1, conf1, handler2, conf2, ... }
local body_readers    -- customer name -> phase -> { [handler] = true } for reads_body stages
local handlers        -- module name -> handler table

local function fail(field, value, expected)
    error("pipeline: " .. field .. ": " .. tostring(value) .. " (expected: " .. expected .. ")", 2)
end

-- "Example.TEST:8080" -> "example.test", "[::1]:80" -> "[::1]", "example.test." -> "example.test"
local function normalize_host(host)
    if not host or host == "" then
        return nil
    end
    host = str_lower(host)
    if str_byte(host, 1) == 91 then -- '[' : IPv6 literal, the port follows the ']'
        local close = str_find(host, "]", 2, true)
        if not close then
            return nil
        end
        return str_sub(host, 1, close)
    end
    local colon = str_find(host, ":", 1, true)
    if colon then
        host = str_sub(host, 1, colon - 1)
    end
    if str_byte(host, -1) == 46 then -- trailing '.' of a fully qualified name
        host = str_sub(host, 1, -2)
    end
    if host == "" then
        return nil
    end
    return host
end
_M.normalize_host = normalize_host

local function module_entry(entry, i)
    if type(entry) == "string" then
        return entry, false
    end
    if type(entry) ~= "table" then
        fail("pipeline[" .. i .. "]", entry, "a module name or {module=..., reads_body=...}")
    end
    if type(entry.module) ~= "string" or entry.module == "" then
        fail("pipeline[" .. i .. "].module", entry.module, "a module name")
    end
    if entry.reads_body ~= nil and type(entry.reads_body) ~= "boolean" then
        fail("pipeline[" .. i .. "].reads_body", entry.reads_body, "true or false")
    end
    return entry.module, entry.reads_body == true
end

function _M.init(conf)
    if type(conf) ~= "table" then
        fail("config", conf, "a table")
    end
    if type(conf.pipeline) ~= "table" then
        fail("pipeline", conf.pipeline, "a list of modules")
    end
    if type(conf.customers) ~= "table" then
        fail("customers", conf.customers, "an object of customers")
    end

    local order = {}       -- { {name=, handler=, reads_body=} } in pipeline order
    local loaded = {}
    local seen = {}
    for i, entry in ipairs(conf.pipeline) do
        local name, reads_body = module_entry(entry, i)
        if seen[name] then
            fail("pipeline[" .. i .. "]", name, "each module once")
        end
        seen[name] = true
        local handler = require(name .. ".handler")
        if type(handler) ~= "table" then
            fail("pipeline[" .. i .. "]", name, "a module whose handler returns a table")
        end
        loaded[name] = handler
        order[#order + 1] = { name = name, handler = handler, reads_body = reads_body }
    end

    -- sorted customer names: a host claimed twice is reported the same way on every run
    local names = {}
    for name in pairs(conf.customers) do
        names[#names + 1] = name
    end
    tbl_sort(names)

    local index = {}
    local new_chains = {}
    local new_readers = {}
    for _, name in ipairs(names) do
        local customer = conf.customers[name]
        local field = "customers." .. name
        if type(customer) ~= "table" then
            fail(field, customer, "an object")
        end
        if type(customer.hosts) ~= "table" or #customer.hosts == 0 then
            fail(field .. ".hosts", customer.hosts, "a non-empty list of host names")
        end
        for i, h in ipairs(customer.hosts) do
            local host = type(h) == "string" and normalize_host(h) or nil
            if not host then
                fail(field .. ".hosts[" .. i .. "]", h, "a host name")
            end
            if index[host] and index[host] ~= name then
                fail(field .. ".hosts[" .. i .. "]", h, "a host no other customer has (taken by "
                     .. index[host] .. ")")
            end
            index[host] = name
        end

        local settings = customer.modules or {}
        if type(settings) ~= "table" then
            fail(field .. ".modules", settings, "an object of module settings")
        end
        for mod in pairs(settings) do
            if not loaded[mod] then
                ngx_log(WARN, "pipeline: ", field, ".modules.", mod,
                        " is ignored: the module is not in the pipeline")
            end
        end

        local chain = {}
        local readers = {}
        for _, phase in ipairs(PHASES) do
            local list = {}
            for _, stage in ipairs(order) do
                local mconf = settings[stage.name]
                if mconf ~= nil and type(stage.handler[phase]) == "function" then
                    if type(mconf) ~= "table" then
                        fail(field .. ".modules." .. stage.name, mconf, "an object")
                    end
                    list[#list + 1] = stage.handler
                    list[#list + 1] = mconf
                    if stage.reads_body and REQUEST_PHASES[phase] then
                        readers[phase] = true
                    end
                end
            end
            if #list > 0 then
                chain[phase] = list
            end
        end
        new_chains[name] = chain
        new_readers[name] = readers
    end

    config = conf
    host_index = index
    chains = new_chains
    body_readers = new_readers
    handlers = loaded
    return true
end

function _M.config()
    return config
end

function _M.handler(name)
    return handlers and handlers[name]
end

local function resolve_customer()
    -- The Host header as sent ($host may come from an absolute request target instead).
    -- Read from the header list, not $http_host: nginx caches a variable on first read, and a
    -- later ngx.req.set_header("Host") (normalize) would then not reach the proxied request.
    local host = ngx_req_get_headers()["host"]
    if type(host) == "table" then
        host = host[1]
    end
    if not host or host == "" then
        host = ngx_var.host
    end
    host = normalize_host(host)
    if not host then
        return nil
    end
    return host_index[host]
end

function _M.run(phase)
    local ctx = ngx.ctx
    local name = ctx.customer
    if not name then
        if not REQUEST_PHASES[phase] then
            return -- refused before (unknown host) or never resolved: nothing to filter or log
        end
        if not host_index then
            ngx_log(ERR, "pipeline: run(", phase, ") before init")
            return ngx_exit(500)
        end
        name = resolve_customer()
        if not name then
            return ngx_exit(404)
        end
        ctx.customer = name
        ctx.request_start = ngx_now()
        -- $graft_customer is optional (declared by configs that log it); nginx refuses writes
        -- to an undeclared variable, and a declared one reads as "" until set
        if ngx_var.graft_customer then
            ngx_var.graft_customer = name
        end
    end

    local chain = chains[name]
    if not chain then
        return -- a customer of another config generation (the request began before a reload)
    end
    local list = chain[phase]
    if not list then
        return
    end
    if body_readers[name][phase] then
        -- a stage of this phase inspects the body: buffer it before the first stage
        -- (read_body returns at once when the body is already read or buffered by the host)
        ngx_req.read_body()
    end
    for i = 1, #list, 2 do
        list[i][phase](list[i + 1])
    end
end

return _M
