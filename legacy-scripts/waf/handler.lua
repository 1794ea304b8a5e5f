-- waf/handler.lua: anomaly-scoring web application firewall (access phase).
--
-- Every active rule (the built-in set of waf/rules.lua minus the customer's disabled ids,
-- plus the customer's custom rules) is checked against the parts of the request it
-- targets; each matching rule adds its score once. In "block" mode a request whose score
-- reaches the customer's threshold is refused with 403 and the request id; in "log" mode
-- it is only logged; "off" does nothing but strip the upstream headers a client may forge.
--
-- Results for later stages: ngx.ctx.waf_matches (rule ids, in rule order) and
-- ngx.ctx.waf_score. The upstream gets X-Waf-Score and X-Waf-Matches (unless
-- upstream_headers is false).
--
-- Rule lists are prepared once per settings table (weak-keyed, so a reload drops them);
-- patterns are compiled by ngx.re's "o" cache, never per request. Values are visited in a
-- fixed order (sorted argument and header names) so that logs are the same on every host.

local cjson = require("cjson.safe")
local builtin_rules = require("waf.rules")

local ngx = ngx
local type = type
local pairs = pairs
local ipairs = ipairs
local tonumber = tonumber
local tostring = tostring
local math_floor = math.floor
local setmetatable = setmetatable
local next = next
local str_lower = string.lower
local str_find = string.find
local str_gsub = string.gsub
local str_match = string.match
local str_gmatch = string.gmatch
local str_format = string.format
local tbl_sort = table.sort
local tbl_concat = table.concat
local io_open = io.open

local ngx_log = ngx.log
local ngx_exit = ngx.exit
local ngx_say = ngx.say
local ngx_var = ngx.var
local re_find = ngx.re.find
local decode_args = ngx.decode_args
local unescape_uri = ngx.unescape_uri
local req_get_method = ngx.req.get_method
local req_get_headers = ngx.req.get_headers
local req_get_uri_args = ngx.req.get_uri_args
local req_get_post_args = ngx.req.get_post_args
local req_read_body = ngx.req.read_body
local req_get_body_data = ngx.req.get_body_data
local req_get_body_file = ngx.req.get_body_file
local req_set_header = ngx.req.set_header
local req_clear_header = ngx.req.clear_header
local json_decode = cjson.decode

local ERR = ngx.ERR
local WARN = ngx.WARN
local HTTP_FORBIDDEN = ngx.HTTP_FORBIDDEN

local _M = { PRIORITY = 1000, _VERSION = "1.0.0" }

local DEFAULT_THRESHOLD = 5
local DEFAULT_BODY_LIMIT = 65536
local MAX_HEADERS = 100
local JSON_MAX_DEPTH = 32
local SCORE_HEADER = "X-Waf-Score"
local MATCHES_HEADER = "X-Waf-Matches"

local MODES = { block = true, log = true, off = true }
local OPERATORS = { rx = true, ["!rx"] = true, absent = true, gt = true, len_gt = true }
local TRANSFORMS = { urldecode = true, lowercase = true, compress_ws = true, remove_nulls = true }

-- plain targets; "header:<name>", "arg:<name>" and "cookie:<name>" are parameterised.
-- The body is read and parsed the first time a rule asks for a body target.
local TARGETS = {
    method = true, protocol = true, uri = true, raw_uri = true,
    args = true, arg_names = true, args_count = true,
    body_args = true, body_arg_names = true, body = true, body_status = true,
    headers = true, header_names = true, cookies = true, cookie_names = true,
    content_length = true, length_and_chunked = true,
}

local prepared = setmetatable({}, { __mode = "k" })

-- numbers that reach logs and headers through %d: integers that every host formats alike
-- (LuaJ's %d wraps above 32 bits)
local MAX_INT = 2147483647

local function int_in(v, lo)
    return type(v) == "number" and v >= lo and v <= MAX_INT and v == math_floor(v)
end

---------------------------------------------------------------------------------------------
-- preparing a customer's rule list (once per settings table)
---------------------------------------------------------------------------------------------

local function valid_target(t)
    if type(t) ~= "string" then
        return false
    end
    if TARGETS[t] then
        return true
    end
    local kind, name = str_match(t, "^(%a+):(.+)$")
    return (kind == "header" or kind == "arg" or kind == "cookie") and name ~= nil
end

-- a rule table (built-in or custom) -> the internal record, or nil and why
local function compile_rule(r, conf)
    if type(r) ~= "table" then
        return nil, "not an object"
    end
    if not int_in(r.id, 1) then
        return nil, "id: " .. tostring(r.id) .. " (expected: an integer from 1 to 2147483647)"
    end
    local op = r.operator or "rx"
    if not OPERATORS[op] then
        return nil, "operator: " .. tostring(op) .. " (expected: rx, !rx, absent, gt or len_gt)"
    end
    if type(r.targets) ~= "table" or #r.targets == 0 then
        return nil, "targets: (expected: a non-empty list)"
    end
    local targets = {}
    for i, t in ipairs(r.targets) do
        if not valid_target(t) then
            return nil, "targets[" .. i .. "]: " .. tostring(t) .. " (expected: a target name)"
        end
        local kind, name = str_match(t, "^(%a+):(.+)$")
        -- header and cookie names are matched lower-case; argument names as sent
        if kind and kind ~= "arg" then
            t = kind .. ":" .. str_lower(name)
        end
        targets[i] = t
    end

    local flags = r.flags or "jo"
    if type(flags) ~= "string" then
        return nil, "flags: " .. tostring(flags) .. " (expected: ngx.re options)"
    end
    if op == "rx" or op == "!rx" then
        if type(r.pattern) ~= "string" or r.pattern == "" then
            return nil, "pattern: (expected: a regular expression)"
        end
        -- compile it now (and into the "o" cache): a bad pattern drops the rule at load
        local _, _, err = re_find("", r.pattern, flags)
        if err then
            return nil, "pattern: " .. r.pattern .. " (expected: a valid regular expression; " .. err .. ")"
        end
    end

    local limit = r.limit
    if r.limit_conf and conf[r.limit_conf] ~= nil then
        limit = conf[r.limit_conf]
    end
    if (op == "gt" or op == "len_gt") and type(limit) ~= "number" then
        return nil, "limit: " .. tostring(limit) .. " (expected: a number)"
    end

    local methods
    if r.methods ~= nil then
        if type(r.methods) ~= "table" then
            return nil, "methods: (expected: a list of methods)"
        end
        methods = {}
        for _, m in ipairs(r.methods) do
            methods[m] = true
        end
    end

    local transforms
    if r.transforms ~= nil then
        if type(r.transforms) ~= "table" then
            return nil, "transforms: (expected: a list)"
        end
        for i, tr in ipairs(r.transforms) do
            if not TRANSFORMS[tr] then
                return nil, "transforms[" .. i .. "]: " .. tostring(tr)
                            .. " (expected: urldecode, lowercase, compress_ws or remove_nulls)"
            end
        end
        if #r.transforms > 0 then
            transforms = r.transforms
        end
    end

    local score = r.score
    if not int_in(score, 0) or score > 1000 then
        return nil, "score: " .. tostring(score) .. " (expected: an integer from 0 to 1000)"
    end

    return {
        id = r.id,
        op = op,
        targets = targets,
        pattern = r.pattern,
        flags = flags,
        limit = limit,
        methods = methods,
        transforms = transforms,
        score = score,
    }
end

local function prepare(conf)
    local p = prepared[conf]
    if p then
        return p
    end

    local mode = conf.mode or "block"
    if not MODES[mode] then
        ngx_log(ERR, "waf: mode: ", tostring(mode), " (expected: block, log or off), using block")
        mode = "block"
    end

    local disabled = {}
    if type(conf.disabled_rules) == "table" then
        for _, id in ipairs(conf.disabled_rules) do
            disabled[id] = true
        end
    end

    local rules = {}
    local function add(r, origin)
        local rule, why = compile_rule(r, conf)
        if not rule then
            ngx_log(ERR, "waf: ", origin, ": ", why, ", rule ignored")
            return
        end
        if disabled[rule.id] then
            return
        end
        rules[#rules + 1] = rule
    end
    for i, r in ipairs(builtin_rules) do
        add(r, "rules[" .. i .. "]")
    end
    if type(conf.custom_rules) == "table" then
        for i, r in ipairs(conf.custom_rules) do
            add(r, "custom_rules[" .. i .. "]")
        end
    end

    local threshold = conf.threshold
    if threshold == nil then
        threshold = DEFAULT_THRESHOLD
    elseif not int_in(threshold, 0) then
        ngx_log(ERR, "waf: threshold: ", tostring(threshold), " (expected: a non-negative integer), using ",
                DEFAULT_THRESHOLD)
        threshold = DEFAULT_THRESHOLD
    end

    local max_args = type(conf.max_args) == "number" and conf.max_args or 100
    p = {
        mode = mode,
        threshold = threshold,
        body_limit = type(conf.body_limit) == "number" and conf.body_limit or DEFAULT_BODY_LIMIT,
        -- one more than allowed, so that "too many" is seen without parsing everything
        args_limit = max_args + 1,
        upstream_headers = conf.upstream_headers ~= false,
        rules = rules,
    }
    prepared[conf] = p
    return p
end

---------------------------------------------------------------------------------------------
-- request parts, each computed at most once per request
---------------------------------------------------------------------------------------------

local function sorted_keys(t)
    local keys = {}
    for k in pairs(t) do
        keys[#keys + 1] = k
    end
    tbl_sort(keys)
    return keys
end

-- an args table (get_uri_args / get_post_args): appends names and string values in name
-- order; returns how many arguments there were (a repeated name counts each time)
local function flatten_args(args, names, values)
    local count = 0
    for _, name in ipairs(sorted_keys(args)) do
        names[#names + 1] = name
        local v = args[name]
        if type(v) == "table" then
            for _, item in ipairs(v) do
                if type(item) == "string" then
                    values[#values + 1] = item
                end
                count = count + 1
            end
        else
            if type(v) == "string" then
                values[#values + 1] = v
            end
            count = count + 1
        end
    end
    return count
end

local function headers(req)
    local h = req.headers
    if not h then
        h = req_get_headers(MAX_HEADERS)
        req.headers = h
    end
    return h
end

local function header_values(req, name)
    local v = headers(req)[name]
    if v == nil then
        return {}
    end
    if type(v) == "table" then
        return v
    end
    return { v }
end

local function query_args(req)
    local a = req.query
    if not a then
        a = req_get_uri_args(req.p.args_limit)
        req.query = a
    end
    return a
end

local function parse_cookies(req)
    local names, values, by_name = {}, {}, {}
    for _, line in ipairs(header_values(req, "cookie")) do
        for pair in str_gmatch(line, "[^;]+") do
            local name, value = str_match(pair, "^%s*([^=]-)%s*=%s*(.-)%s*$")
            if not name then
                name, value = str_match(pair, "^%s*(.-)%s*$"), ""
            end
            if name ~= "" or value ~= "" then
                value = unescape_uri(value)
                names[#names + 1] = name
                values[#values + 1] = value
                local lname = str_lower(name)
                local list = by_name[lname]
                if not list then
                    list = {}
                    by_name[lname] = list
                end
                list[#list + 1] = value
            end
        end
    end
    req.cookie_names, req.cookie_values, req.cookies_by_name = names, values, by_name
end

-- JSON: strings go to values, object keys to names; numbers and booleans carry no attack
local function walk_json(v, depth, names, values)
    if depth > JSON_MAX_DEPTH then
        return 0, true
    end
    local tv = type(v)
    if tv == "string" then
        values[#values + 1] = v
        return 1, false
    end
    if tv ~= "table" then
        return 1, false -- number, boolean, null
    end
    local count = 0
    if v[1] ~= nil or next(v) == nil then
        for i = 1, #v do
            local n, deep = walk_json(v[i], depth + 1, names, values)
            count = count + n
            if deep then
                return count, true
            end
        end
        return count, false
    end
    for _, k in ipairs(sorted_keys(v)) do
        names[#names + 1] = k
        local n, deep = walk_json(v[k], depth + 1, names, values)
        count = count + n
        if deep then
            return count, true
        end
    end
    return count, false
end

local function read_file(path, limit)
    local f = io_open(path, "rb")
    if not f then
        return nil
    end
    local data = f:read(limit + 1)
    f:close()
    return data or ""
end

-- reads and parses the body once: sets req.body_status and the body_* lists
local function load_body(req)
    local p = req.p
    local names, values, raw = {}, {}, {}
    req.body_names, req.body_values, req.body_raw, req.body_count = names, values, raw, 0
    req.body_args_by_name = {}

    local h = headers(req)
    local cl = h["content-length"]
    if type(cl) == "table" then
        cl = cl[1]
    end
    local length = tonumber(cl)
    if not length and not h["transfer-encoding"] then
        req.body_status = "none"
        return
    end
    if length and length > p.body_limit then
        req.body_status = "too_large"
        return
    end

    req_read_body()
    local in_memory = true
    local data = req_get_body_data()
    if not data then
        -- nginx spooled it to a file (larger than client_body_buffer_size)
        local file = req_get_body_file()
        if file then
            data = read_file(file, p.body_limit)
            in_memory = false
        end
    end
    if not data or data == "" then
        req.body_status = "none"
        return
    end
    if #data > p.body_limit then
        req.body_status = "too_large"
        return
    end

    local ctype = h["content-type"]
    if type(ctype) == "table" then
        ctype = ctype[1]
    end
    ctype = ctype and str_lower(ctype) or ""

    if str_find(ctype, "application/x-www-form-urlencoded", 1, true) then
        local args
        if in_memory then
            args = req_get_post_args(p.args_limit)
        else
            args = decode_args(data, p.args_limit)
        end
        args = args or {}
        req.body_count = flatten_args(args, names, values)
        req.body_args_by_name = args
        req.body_status = "form"
        return
    end

    if str_find(ctype, "json", 1, true) then
        local doc = json_decode(data)
        if doc == nil then
            req.body_status = "invalid_json"
            raw[1] = data -- still inspected as text
            return
        end
        local count, deep = walk_json(doc, 1, names, values)
        req.body_count = count
        req.body_status = deep and "too_deep" or "json"
        return
    end

    raw[1] = data
    req.body_status = "raw"
end

local function body(req)
    if not req.body_status then
        load_body(req)
    end
end

local collect = {}

collect.method = function(req) return { req.method } end
collect.protocol = function() return { ngx_var.server_protocol } end
collect.uri = function() return { ngx_var.uri } end
collect.raw_uri = function() return { ngx_var.request_uri } end

collect.args = function(req)
    local names, values = {}, {}
    req.query_count = flatten_args(query_args(req), names, values)
    req.values.arg_names = names
    return values
end
collect.arg_names = function(req)
    req.values.args = collect.args(req) -- fills both
    return req.values.arg_names
end
collect.args_count = function(req)
    if not req.query_count then
        req.values.args = collect.args(req)
    end
    body(req)
    return { str_format("%d", req.query_count + req.body_count) }
end

collect.body_args = function(req) body(req) return req.body_values end
collect.body_arg_names = function(req) body(req) return req.body_names end
collect.body = function(req) body(req) return req.body_raw end
collect.body_status = function(req) body(req) return { req.body_status } end

collect.headers = function(req)
    local h = headers(req)
    local names, values = {}, {}
    for _, name in ipairs(sorted_keys(h)) do
        names[#names + 1] = name
        if name ~= "cookie" then
            local v = h[name]
            if type(v) == "table" then
                for _, item in ipairs(v) do
                    values[#values + 1] = item
                end
            else
                values[#values + 1] = v
            end
        end
    end
    req.values.header_names = names
    return values
end
collect.header_names = function(req)
    req.values.headers = collect.headers(req)
    return req.values.header_names
end

collect.cookies = function(req)
    if not req.cookie_values then
        parse_cookies(req)
    end
    return req.cookie_values
end
collect.cookie_names = function(req)
    if not req.cookie_names then
        parse_cookies(req)
    end
    return req.cookie_names
end

collect.content_length = function(req)
    return header_values(req, "content-length")
end
collect.length_and_chunked = function(req)
    local h = headers(req)
    if h["content-length"] and h["transfer-encoding"] then
        return { "yes" }
    end
    return { "no" }
end

local function named_values(v, out)
    if type(v) == "table" then
        for _, item in ipairs(v) do
            if type(item) == "string" then
                out[#out + 1] = item
            end
        end
    elseif type(v) == "string" then
        out[#out + 1] = v
    end
end

local function target_values(req, target)
    local values = req.values[target]
    if values then
        return values
    end
    local fn = collect[target]
    if fn then
        values = fn(req)
    else
        local kind, name = str_match(target, "^(%a+):(.+)$")
        if kind == "header" then
            values = header_values(req, name)
        elseif kind == "cookie" then
            if not req.cookies_by_name then
                parse_cookies(req)
            end
            values = req.cookies_by_name[name] or {}
        else -- arg: query first, then body
            values = {}
            named_values(query_args(req)[name], values)
            body(req)
            named_values(req.body_args_by_name[name], values)
        end
    end
    req.values[target] = values
    return values
end

---------------------------------------------------------------------------------------------
-- matching
---------------------------------------------------------------------------------------------

local function transform(v, transforms)
    for _, tr in ipairs(transforms) do
        if tr == "urldecode" then
            v = unescape_uri(v)
        elseif tr == "lowercase" then
            v = str_lower(v)
        elseif tr == "compress_ws" then
            v = str_gsub(v, "%s+", " ")
        elseif tr == "remove_nulls" then
            v = str_gsub(v, "%z", "")
        end
    end
    return v
end

local function value_matches(rule, v)
    if rule.transforms then
        v = transform(v, rule.transforms)
    end
    local op = rule.op
    if op == "rx" then
        return re_find(v, rule.pattern, rule.flags) ~= nil
    elseif op == "!rx" then
        return re_find(v, rule.pattern, rule.flags) == nil
    elseif op == "gt" then
        -- decimal digits only: tonumber would also take "0x10" or " 5"
        return str_find(v, "^%d+$") ~= nil and tonumber(v) > rule.limit
    end
    return #v > rule.limit -- len_gt
end

local function rule_matches(req, rule)
    if rule.methods and not rule.methods[req.method] then
        return false
    end
    for _, target in ipairs(rule.targets) do
        local values = target_values(req, target)
        if rule.op == "absent" then
            if #values == 0 then
                return true
            end
        else
            for i = 1, #values do
                local v = values[i]
                if type(v) ~= "string" then
                    v = tostring(v)
                end
                if value_matches(rule, v) then
                    return true
                end
            end
        end
    end
    return false
end

local function block()
    ngx.status = HTTP_FORBIDDEN
    ngx.header["Content-Type"] = "text/plain"
    ngx.header["Cache-Control"] = "no-store"
    ngx_say("Forbidden: the request was blocked by the web application firewall.\n",
            "Request ID: ", ngx_var.request_id)
    return ngx_exit(HTTP_FORBIDDEN)
end

function _M.access(conf)
    local p = prepare(conf)

    if p.mode == "off" then
        -- nothing inspected, but a client must not be able to forge our verdict upstream
        if p.upstream_headers then
            req_clear_header(SCORE_HEADER)
            req_clear_header(MATCHES_HEADER)
        end
        return
    end

    local req = { p = p, values = {}, method = req_get_method() }
    local matches = {}
    local score = 0
    local rules = p.rules
    for i = 1, #rules do
        local rule = rules[i]
        if rule_matches(req, rule) then
            matches[#matches + 1] = rule.id
            score = score + rule.score
        end
    end

    local ctx = ngx.ctx
    ctx.waf_matches = matches
    ctx.waf_score = score

    local ids
    if #matches > 0 then
        local parts = {}
        for i = 1, #matches do
            parts[i] = str_format("%d", matches[i])
        end
        ids = tbl_concat(parts, ",")
    end

    if p.upstream_headers then
        req_set_header(SCORE_HEADER, str_format("%d", score))
        if ids then
            req_set_header(MATCHES_HEADER, ids)
        else
            req_clear_header(MATCHES_HEADER)
        end
    end

    if not ids then
        return
    end

    local blocked = p.mode == "block" and score >= p.threshold
    ngx_log(WARN, "waf: customer=", ctx.customer or "-",
            " score=", str_format("%d", score),
            " threshold=", str_format("%d", p.threshold),
            " mode=", p.mode,
            " action=", blocked and "block" or "pass",
            " rules=", ids)

    if blocked then
        return block()
    end
end

return _M
