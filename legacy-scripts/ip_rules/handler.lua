-- ip_rules/handler.lua: per-customer CIDR allow / deny lists (IPv4 and IPv6).
--
-- access: resolve the client address (the peer, or the first untrusted hop of the
-- X-Forwarded-For chain when the peer is a trusted proxy), publish it as ngx.ctx.client_ip,
-- then apply the deny list and the allow list. Parsed networks are built once per settings
-- table and kept in a weak table keyed by it, so a config reload drops them with the table.

local addr = require("ip_rules.addr")

local ngx = ngx
local type = type
local ipairs = ipairs
local setmetatable = setmetatable
local str_find = string.find
local str_sub = string.sub
local str_lower = string.lower
local str_match = string.match
local concat = table.concat

local ngx_log = ngx.log
local ngx_exit = ngx.exit
local ngx_say = ngx.say
local ngx_var = ngx.var
local get_headers = ngx.req.get_headers
local set_header = ngx.req.set_header
local INFO = ngx.INFO
local ERR = ngx.ERR

local parse = addr.parse
local parse_cidr = addr.parse_cidr
local strip_port = addr.strip_port
local find_net = addr.find
local format_addr = addr.format

local _M = { _VERSION = "1.0.0" }

local compiled = setmetatable({}, { __mode = "k" })

local function compile_list(list, field)
    if list == nil or list == ngx.null then
        return nil -- absent (a JSON null too)
    end
    local nets = {}
    if type(list) ~= "table" then
        ngx_log(ERR, "ip_rules: ", field, ": not a list of CIDRs, ignored")
        return nets
    end
    for i, cidr in ipairs(list) do
        local net, why = parse_cidr(cidr)
        if net then
            net.text = cidr
            nets[#nets + 1] = net
        else
            ngx_log(ERR, "ip_rules: ", field, "[", i, "]: ", type(cidr) == "string" and cidr or type(cidr),
                    " (expected: an address or CIDR; ", why, "), ignored")
        end
    end
    return nets
end

local function compile(conf)
    local c = compiled[conf]
    if c then
        return c
    end
    local header = conf.real_ip_header
    if type(header) ~= "string" or header == "" then
        header = "X-Forwarded-For"
    end
    c = {
        allow = compile_list(conf.allow, "allow"),
        deny = compile_list(conf.deny, "deny") or {},
        trusted = compile_list(conf.trusted_proxies, "trusted_proxies") or {},
        header = str_lower(header),
        invalid_deny = conf.invalid_forwarded == "deny",
        status = type(conf.deny_status) == "number" and conf.deny_status or 403,
        message = type(conf.deny_message) == "string" and conf.deny_message or "forbidden",
        client_header = type(conf.client_ip_header) == "string" and conf.client_ip_header ~= ""
                        and conf.client_ip_header or nil,
    }
    compiled[conf] = c
    return c
end

-- the elements of the forwarded header(s), left to right; repeated headers are one list
local function forwarded_chain(name)
    local value = get_headers()[name]
    if value == nil then
        return nil
    end
    if type(value) == "table" then
        value = concat(value, ",")
    end
    local chain = {}
    local pos = 1
    local len = #value
    while pos <= len + 1 do
        local comma = str_find(value, ",", pos, true) or len + 1
        local item = str_match(str_sub(value, pos, comma - 1), "^[ \t]*(.-)[ \t]*$")
        if item ~= "" then -- "a, , b" and a trailing comma are tolerated
            chain[#chain + 1] = item
        end
        pos = comma + 1
    end
    return chain
end

-- client address: returns bytes (or nil when unparsable), its text, and whether an invalid
-- forwarded element stopped the walk
local function resolve_client(c)
    local remote = ngx_var.remote_addr
    local bytes = parse(remote)
    if not bytes then
        return nil, remote, false
    end
    if #c.trusted == 0 or not find_net(c.trusted, bytes) then
        return bytes, nil, false
    end

    local chain = forwarded_chain(c.header)
    if not chain then
        return bytes, nil, false
    end
    -- right to left: the nearest hop first; trusted hops are skipped, the first untrusted
    -- address is the client. If every hop is trusted the leftmost one is the client.
    for i = #chain, 1, -1 do
        local text = strip_port(chain[i])
        local hop = text and parse(text)
        if not hop then
            -- an element we cannot read: stop at the last hop we could (as nginx realip does)
            return bytes, nil, true
        end
        bytes = hop
        if not find_net(c.trusted, hop) then
            break
        end
    end
    return bytes, nil, false
end

local function deny(c, client, reason)
    ngx_log(INFO, "ip_rules: ", client, " refused: ", reason)
    ngx.status = c.status
    ngx.header["Content-Type"] = "text/plain"
    ngx_say(c.message)
    return ngx_exit(c.status)
end

function _M.access(conf)
    local c = compile(conf)
    local bytes, raw, invalid = resolve_client(c)
    local client = bytes and format_addr(bytes) or raw

    local ctx = ngx.ctx
    ctx.client_ip = client

    if invalid and c.invalid_deny then
        return deny(c, client, "invalid " .. c.header)
    end

    if bytes then
        local net = find_net(c.deny, bytes)
        if net then
            return deny(c, client, "deny " .. net.text)
        end
    end
    local allow = c.allow
    if allow and not (bytes and find_net(allow, bytes)) then
        return deny(c, client, "not in allow list")
    end

    if c.client_header then
        set_header(c.client_header, client)
    end
end

return _M
