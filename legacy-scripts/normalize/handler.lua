-- normalize: canonical request target and Host before any other stage looks at them.
--
-- Works on the raw target ($request_uri), not on nginx's already-decoded $uri, so that it
-- does the same work on any host: RFC 3986 normalisation of the path (percent-decoding of
-- unreserved characters, upper-case hex in the escapes left, duplicate-slash folding,
-- dot-segment removal), lower-case Host, default port stripped. Malformed escapes, encoded
-- or raw NUL bytes, and paths that still climb above a segment once decoded get a 400.
--
-- When the path changes, the new (decoded) path is set with ngx.req.set_uri; the query
-- string is kept. nginx re-escapes a changed URI when it proxies it (see README.md).

local ngx = ngx
local type = type
local tonumber = tonumber
local str_find = string.find
local str_sub = string.sub
local str_gsub = string.gsub
local str_char = string.char
local str_upper = string.upper
local str_lower = string.lower
local str_byte = string.byte
local tbl_concat = table.concat
local ngx_var = ngx.var
local ngx_exit = ngx.exit
local ngx_log = ngx.log
local ngx_req_set_uri = ngx.req.set_uri
local ngx_req_set_header = ngx.req.set_header
local ngx_req_get_headers = ngx.req.get_headers
local INFO = ngx.INFO

local _M = { PRIORITY = 1000, VERSION = "1.0.0" }

local DEFAULT_PORTS = { http = "80", https = "443" }

-- byte -> true for RFC 3986 unreserved characters: ALPHA DIGIT - . _ ~
local UNRESERVED = {}
for c = 48, 57 do UNRESERVED[c] = true end
for c = 65, 90 do UNRESERVED[c] = true end
for c = 97, 122 do UNRESERVED[c] = true end
UNRESERVED[45] = true -- -
UNRESERVED[46] = true -- .
UNRESERVED[95] = true -- _
UNRESERVED[126] = true -- ~

local function enabled(conf, key)
    local v = conf[key]
    if v == nil then
        return true
    end
    return v == true
end

-- nil when the escapes are well formed and no NUL is encoded, else a reason
local function check_escapes(path)
    if str_find(path, "\0", 1, true) then
        return "NUL byte"
    end
    local pos = 1
    while true do
        local p = str_find(path, "%", pos, true)
        if not p then
            return nil
        end
        local hex = str_sub(path, p + 1, p + 2)
        if not str_find(hex, "^%x%x$") then
            return "malformed percent-encoding"
        end
        if hex == "00" then
            return "encoded NUL byte"
        end
        pos = p + 3
    end
end

local function decode_unreserved_hex(hex)
    local c = tonumber(hex, 16)
    if UNRESERVED[c] then
        return str_char(c)
    end
    return "%" .. str_upper(hex)
end

local function decode_all_hex(hex)
    return str_char(tonumber(hex, 16))
end

local function decode_unreserved(path)
    if not str_find(path, "%", 1, true) then
        return path
    end
    return (str_gsub(path, "%%(%x%x)", decode_unreserved_hex))
end

local function unescape(path)
    if not str_find(path, "%", 1, true) then
        return path
    end
    return (str_gsub(path, "%%(%x%x)", decode_all_hex))
end

local function merge_slashes(path)
    if not str_find(path, "//", 1, true) then
        return path
    end
    return (str_gsub(path, "//+", "/"))
end

-- RFC 3986 section 5.2.4 on an absolute path; ".." above the root is dropped, and the
-- second value says it happened (nginx refuses such a target with a 400 itself)
local function remove_dot_segments(path)
    if not str_find(path, "/.", 1, true) then
        return path, false
    end
    local above = false
    local segs, n = {}, 0
    local len = #path
    local start = 2
    while true do
        local slash = str_find(path, "/", start, true)
        local seg = str_sub(path, start, (slash or len + 1) - 1)
        if seg == "." then
            if not slash then
                n = n + 1
                segs[n] = ""
            end
        elseif seg == ".." then
            if n > 0 then
                n = n - 1
            else
                above = true
            end
            if not slash then
                n = n + 1
                segs[n] = ""
            end
        else
            n = n + 1
            segs[n] = seg
        end
        if not slash then
            break
        end
        start = slash + 1
    end
    return "/" .. tbl_concat(segs, "/", 1, n), above
end

-- true when the fully decoded path has a "." or ".." segment (an encoded '/' made one)
local function has_dot_segment(decoded)
    return str_find(decoded, "/%.%.?/") ~= nil
        or str_find(decoded, "/%.%.?$") ~= nil
end

local function normalize_host(conf, host)
    local h = host
    if enabled(conf, "lowercase_host") then
        h = str_lower(h)
    end
    if enabled(conf, "strip_default_port") then
        local colon
        if str_byte(h, 1) == 91 then -- [IPv6]:port
            local close = str_find(h, "]", 2, true)
            if close and str_byte(h, close + 1) == 58 then
                colon = close + 1
            end
        else
            colon = str_find(h, ":", 1, true)
        end
        if colon then
            local port = str_sub(h, colon + 1)
            if port == "" or port == DEFAULT_PORTS[ngx_var.scheme] then
                h = str_sub(h, 1, colon - 1)
            end
        end
    end
    return h
end

function _M.rewrite(conf)
    local target = ngx_var.request_uri
    if type(target) == "string" and str_byte(target, 1) == 47 then -- '/': origin-form only
        local q = str_find(target, "?", 1, true)
        local path = q and str_sub(target, 1, q - 1) or target

        if enabled(conf, "reject_invalid") then
            local reason = check_escapes(path)
            if reason then
                ngx_log(INFO, "normalize: ", reason, " in request target, refused")
                return ngx_exit(400)
            end
        end

        local new = path
        if enabled(conf, "decode_unreserved") then
            new = decode_unreserved(new)
        end
        if enabled(conf, "merge_slashes") then
            new = merge_slashes(new)
        end
        if enabled(conf, "remove_dot_segments") then
            local above
            new, above = remove_dot_segments(new)
            if above and enabled(conf, "reject_invalid") then
                ngx_log(INFO, "normalize: '..' above the root in request target, refused")
                return ngx_exit(400)
            end
        end

        local decoded
        if enabled(conf, "reject_invalid") and str_find(new, "%", 1, true) then
            decoded = unescape(new)
            if has_dot_segment(decoded) then
                ngx_log(INFO, "normalize: dot segment hidden behind an encoded slash, refused")
                return ngx_exit(400)
            end
        end

        if new ~= path then
            -- set_uri takes the decoded form, like $uri; the args are left as they are
            ngx_req_set_uri(decoded or unescape(new), false, true)
        end
    end

    -- from the header list: reading $http_host would make nginx cache it, and the proxied
    -- request (Host $http_host) would keep the old value after set_header
    local host = ngx_req_get_headers()["host"]
    if type(host) == "string" and host ~= "" then
        local new_host = normalize_host(conf, host)
        if new_host ~= host then
            ngx_req_set_header("Host", new_host)
        end
    end
end

return _M
