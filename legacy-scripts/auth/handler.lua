-- auth/handler.lua: per-customer request authentication at the edge.
--
-- access: one scheme guards a request, chosen by path prefix in this order:
--   1. signed URLs  (?expires=<unix>&signature=<HMAC-SHA1 of uri .. expires>, hex or base64url)
--   2. basic auth   (Authorization: Basic, users per customer, 401 + WWW-Authenticate)
--   3. API keys     (a header, optionally a query argument; missing 401, wrong 403)
-- A path no scheme covers passes untouched. On success ngx.ctx.auth_user names the caller
-- and, unless strip_credentials is false, the credential is removed before proxying.

local codec = require("auth.codec")

local ngx = ngx
local type = type
local ipairs = ipairs
local pairs = pairs
local tonumber = tonumber
local tostring = tostring
local setmetatable = setmetatable
local str_lower = string.lower
local str_sub = string.sub
local str_find = string.find
local str_match = string.match
local str_gsub = string.gsub

local ngx_log = ngx.log
local ngx_exit = ngx.exit
local ngx_say = ngx.say
local ngx_time = ngx.time
local ngx_var = ngx.var
local ngx_md5 = ngx.md5
local sha1_bin = ngx.sha1_bin
local hmac_sha1 = ngx.hmac_sha1
local decode_base64 = ngx.decode_base64
local get_headers = ngx.req.get_headers
local get_uri_args = ngx.req.get_uri_args
local set_uri_args = ngx.req.set_uri_args
local set_header = ngx.req.set_header
local clear_header = ngx.req.clear_header
local INFO = ngx.INFO
local ERR = ngx.ERR

local to_hex = codec.to_hex
local base64url = codec.base64url
local equal = codec.equal
local without_args = codec.without_args

local _M = { _VERSION = "1.0.0" }

local compiled = setmetatable({}, { __mode = "k" })

local function prefixes(list, field)
    if list == nil or list == ngx.null then
        return nil -- every path
    end
    local out = {}
    if type(list) ~= "table" then
        ngx_log(ERR, "auth: ", field, ": not a list of path prefixes, the scheme covers no path")
        return out
    end
    for i, p in ipairs(list) do
        if type(p) == "string" and p ~= "" then
            out[#out + 1] = p
        else
            ngx_log(ERR, "auth: ", field, "[", i, "]: not a path prefix, ignored")
        end
    end
    return out
end

local function covers(list, uri)
    if not list then
        return true
    end
    for i = 1, #list do
        local p = list[i]
        if str_sub(uri, 1, #p) == p then
            return true
        end
    end
    return false
end

local function digest(hash, key)
    if hash == "md5" then
        return ngx_md5(key)
    elseif hash == "sha1" then
        return to_hex(sha1_bin(key))
    end
    return key
end

local function compile_keys(conf)
    if type(conf.keys) ~= "table" then
        return nil
    end
    local hash = conf.key_hash
    if hash == nil or hash == ngx.null then
        hash = "plain"
    end
    if hash ~= "plain" and hash ~= "md5" and hash ~= "sha1" then
        ngx_log(ERR, "auth: key_hash: ", tostring(hash), " (expected: plain, md5 or sha1), no key is valid")
        hash = "none"
    end
    local index = {}
    for i, entry in ipairs(conf.keys) do
        local key, user
        if type(entry) == "string" then
            key, user = entry, "key#" .. i
        elseif type(entry) == "table" and type(entry.key) == "string" then
            key = entry.key
            user = type(entry.user) == "string" and entry.user or "key#" .. i
        end
        if hash == "none" then
            break
        elseif key and key ~= "" then
            -- digests are compared in lower case, as ngx.md5 and to_hex produce them
            index[hash == "plain" and key or str_lower(key)] = user
        else
            ngx_log(ERR, "auth: keys[", i, "]: not a key, ignored")
        end
    end
    local header = type(conf.key_header) == "string" and conf.key_header ~= "" and conf.key_header
                   or "X-Api-Key"
    local arg = type(conf.key_query_arg) == "string" and conf.key_query_arg ~= "" and conf.key_query_arg
                or nil
    return {
        index = index,
        hash = hash,
        header = header,
        header_lc = str_lower(header),
        arg = arg,
        strip = arg and { [arg] = true },
        paths = prefixes(conf.key_paths, "key_paths"),
        challenge = 'ApiKey realm="' .. (type(conf.realm) == "string" and conf.realm or "api")
                    .. '", header="' .. header .. '"',
    }
end

local function compile_basic(b)
    if type(b) ~= "table" then
        return nil
    end
    local users = {}
    if type(b.users) == "table" then
        for name, pass in pairs(b.users) do
            if type(name) == "string" and type(pass) == "string" then
                users[name] = pass
            end
        end
    end
    return {
        users = users,
        paths = prefixes(b.paths, "basic.paths"),
        challenge = 'Basic realm="' .. (type(b.realm) == "string" and b.realm or "restricted") .. '"',
    }
end

local function compile_signed(s)
    if type(s) ~= "table" then
        return nil
    end
    if type(s.secret) ~= "string" or s.secret == "" then
        ngx_log(ERR, "auth: signed.secret: missing (expected: a non-empty string), no signature is valid")
    end
    local expires = type(s.expires_arg) == "string" and s.expires_arg or "expires"
    local signature = type(s.signature_arg) == "string" and s.signature_arg or "signature"
    return {
        secret = type(s.secret) == "string" and s.secret ~= "" and s.secret or nil,
        paths = prefixes(s.paths, "signed.paths"),
        expires_arg = expires,
        signature_arg = signature,
        strip = { [expires] = true, [signature] = true },
        user = type(s.user) == "string" and s.user or "signed-url",
    }
end

local function compile(conf)
    local c = compiled[conf]
    if c then
        return c
    end
    c = {
        keys = compile_keys(conf),
        basic = compile_basic(conf.basic),
        signed = compile_signed(conf.signed),
        strip = conf.strip_credentials ~= false,
        user_header = type(conf.user_header) == "string" and conf.user_header ~= "" and conf.user_header
                      or nil,
    }
    compiled[conf] = c
    return c
end

local function refuse(status, message, challenge)
    if challenge then
        ngx.header["WWW-Authenticate"] = challenge
    end
    ngx.status = status
    ngx.header["Content-Type"] = "text/plain"
    ngx_say(message)
    return ngx_exit(status)
end

local function strip_args(names)
    local args = without_args(ngx_var.args, names)
    if args then
        set_uri_args(args)
    end
end

local function accept(c, user)
    ngx.ctx.auth_user = user
    if c.user_header then
        set_header(c.user_header, user)
    end
end

local function check_signed(c, s, uri)
    local args = get_uri_args()
    local expires = args[s.expires_arg]
    local signature = args[s.signature_arg]
    if expires == nil or signature == nil then
        return refuse(403, "signature required")
    end
    -- a repeated or value-less argument is never valid
    if type(expires) ~= "string" or type(signature) ~= "string" or not s.secret
       or not str_find(expires, "^%d%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?$") then
        return refuse(403, "invalid signature")
    end

    local mac = hmac_sha1(s.secret, uri .. expires)
    local ok
    if #signature == 40 then
        ok = equal(str_lower(signature), to_hex(mac))
    else
        ok = equal((str_gsub(signature, "=+$", "")), base64url(mac))
    end
    if not ok then
        ngx_log(INFO, "auth: bad signature for ", uri)
        return refuse(403, "invalid signature")
    end
    if ngx_time() > tonumber(expires) then
        return refuse(403, "expired")
    end

    if c.strip then
        strip_args(s.strip)
    end
    return accept(c, s.user)
end

local function check_basic(c, b)
    local value = get_headers()["authorization"]
    local user, pass
    if type(value) == "string" then
        local token = str_match(value, "^[ \t]*[Bb][Aa][Ss][Ii][Cc][ \t]+([A-Za-z0-9+/=]+)[ \t]*$")
        local plain = token and decode_base64(token)
        if plain then
            local colon = str_find(plain, ":", 1, true)
            if colon then
                user = str_sub(plain, 1, colon - 1)
                pass = str_sub(plain, colon + 1)
            end
        end
    end
    if not user then
        return refuse(401, "authentication required", b.challenge)
    end
    local want = b.users[user]
    if not want or not equal(pass, want) then
        ngx_log(INFO, "auth: basic credentials refused for user ", user)
        return refuse(401, "authentication required", b.challenge)
    end
    if c.strip then
        clear_header("Authorization")
    end
    return accept(c, user)
end

local function check_key(c, k)
    local key = get_headers()[k.header_lc]
    if key == nil or key == "" then
        key = nil
        if k.arg then
            key = get_uri_args()[k.arg]
            if key == true or key == "" then
                key = nil -- "?api_key" or "?api_key=": no key given
            end
        end
    end
    if key == nil then
        return refuse(401, "authentication required", k.challenge)
    end
    if type(key) ~= "string" then
        -- repeated header or argument: ambiguous, never valid
        return refuse(403, "invalid api key")
    end

    local stored = k.hash == "none" and "" or digest(k.hash, key)
    local user = k.index[stored]
    if not user then
        ngx_log(INFO, "auth: unknown api key")
        return refuse(403, "invalid api key")
    end

    if c.strip then
        -- both places go, whichever carried the key: the origin never sees a credential
        clear_header(k.header)
        if k.arg then
            strip_args(k.strip)
        end
    end
    return accept(c, user)
end

function _M.access(conf)
    local c = compile(conf)
    local uri = ngx_var.uri

    local s = c.signed
    if s and covers(s.paths, uri) then
        return check_signed(c, s, uri)
    end
    local b = c.basic
    if b and covers(b.paths, uri) then
        return check_basic(c, b)
    end
    local k = c.keys
    if k and covers(k.paths, uri) then
        return check_key(c, k)
    end
end

return _M
