-- auth/codec.lua: the small encodings the auth checks need and ngx does not offer:
-- lower-case hex, base64url without padding, a constant-time string compare, and removal of
-- query arguments that keeps the others exactly as the client sent them.

local bit = bit
local bor = bit.bor
local bxor = bit.bxor

local ngx = ngx
local str_byte = string.byte
local str_sub = string.sub
local str_find = string.find
local str_gsub = string.gsub
local concat = table.concat

local encode_base64 = ngx.encode_base64
local unescape_uri = ngx.unescape_uri

local _M = { _VERSION = "1.0.0" }

local HEX_DIGITS = "0123456789abcdef"
local HEX = {}
for i = 0, 255 do
    local hi = (i - i % 16) / 16 + 1
    local lo = i % 16 + 1
    HEX[i] = str_sub(HEX_DIGITS, hi, hi) .. str_sub(HEX_DIGITS, lo, lo)
end

function _M.to_hex(bin)
    local out = {}
    for i = 1, #bin do
        out[i] = HEX[str_byte(bin, i)]
    end
    return concat(out)
end

local B64URL = { ["+"] = "-", ["/"] = "_" }

-- RFC 4648 section 5, without '=' padding
function _M.base64url(bin)
    return (str_gsub(encode_base64(bin, true), "[+/]", B64URL))
end

-- compares in time that depends only on the length, so a signature or a password cannot be
-- found byte by byte from response times
function _M.equal(a, b)
    if #a ~= #b then
        return false
    end
    local diff = 0
    for i = 1, #a do
        diff = bor(diff, bxor(str_byte(a, i), str_byte(b, i)))
    end
    return diff == 0
end

-- the query string without the arguments named in `names` (a set of decoded names); the
-- others keep their order and encoding. Empty segments ("a=1&&b=2") are dropped. Returns
-- nil when nothing was removed.
function _M.without_args(args, names)
    if not args or args == "" then
        return nil
    end
    local kept = {}
    local removed = false
    local pos = 1
    local len = #args
    while pos <= len do
        local amp = str_find(args, "&", pos, true) or len + 1
        local part = str_sub(args, pos, amp - 1)
        if part ~= "" then
            local eq = str_find(part, "=", 1, true)
            local name = unescape_uri(eq and str_sub(part, 1, eq - 1) or part)
            if names[name] then
                removed = true
            else
                kept[#kept + 1] = part
            end
        end
        pos = amp + 1
    end
    if not removed then
        return nil
    end
    return concat(kept, "&")
end

return _M
