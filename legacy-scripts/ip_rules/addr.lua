-- ip_rules/addr.lua: IPv4 / IPv6 address and CIDR parsing for the edge ACLs.
--
-- An address is a plain array of its bytes: 4 of them for IPv4, 16 for IPv6. IPv4-mapped
-- IPv6 addresses (::ffff:a.b.c.d) are folded to their IPv4 form so that one IPv4 rule covers
-- both spellings. A network is { bytes..., prefix = <bits> } with the host bits cleared, so a
-- match is a byte compare plus one masked byte.
--
-- Only the syntax both engines share: Lua patterns without frontiers, bit ops through the
-- global `bit` (LuaJIT semantics), numbers formatted with %d / %x.

local bit = bit
local band = bit.band
local rshift = bit.rshift
local lshift = bit.lshift

local tonumber = tonumber
local type = type
local str_find = string.find
local str_sub = string.sub
local str_byte = string.byte
local str_match = string.match
local str_format = string.format
local str_lower = string.lower
local concat = table.concat
local floor = math.floor

local _M = { _VERSION = "1.0.0" }

local COLON = 58         -- ':'
local LBRACKET = 91      -- '['

-- masks for the partial byte of a prefix: MASK[n] keeps the n leading bits
local MASK = {}
for n = 0, 8 do
    MASK[n] = band(lshift(0xff, 8 - n), 0xff)
end

-- "192.0.2.1" -> 192, 0, 2, 1; decimal only, no leading zeros (010 is not 8 nor 10 here)
local function parse_v4_parts(s)
    local a, b, c, d = str_match(s, "^(%d%d?%d?)%.(%d%d?%d?)%.(%d%d?%d?)%.(%d%d?%d?)$")
    if not a then
        return nil
    end
    local parts = { a, b, c, d }
    for i = 1, 4 do
        local p = parts[i]
        if #p > 1 and str_byte(p, 1) == 48 then -- '0'
            return nil
        end
        local n = tonumber(p)
        if n > 255 then
            return nil
        end
        parts[i] = n
    end
    return parts
end

-- one side of an IPv6 address (around "::"): hex groups, the very last may be a dotted quad
-- when v4_tail is true. Appends 16-bit values to out; returns out or nil.
local function parse_v6_groups(s, out, v4_tail)
    if s == "" then
        return out
    end
    local pos = 1
    local len = #s
    while true do
        local colon = str_find(s, ":", pos, true)
        local group = str_sub(s, pos, (colon or len + 1) - 1)
        if not colon and v4_tail and str_find(group, ".", 1, true) then
            local q = parse_v4_parts(group)
            if not q then
                return nil
            end
            out[#out + 1] = q[1] * 256 + q[2]
            out[#out + 1] = q[3] * 256 + q[4]
            return out
        end
        local glen = #group
        if glen == 0 or glen > 4 or str_find(group, "[^0-9a-fA-F]") then
            return nil
        end
        out[#out + 1] = tonumber(group, 16)
        if not colon then
            return out
        end
        pos = colon + 1
        if pos > len then
            return nil -- trailing single ':'
        end
    end
end

local function parse_v6(s)
    local len = #s
    if len < 2 or len > 45 then
        return nil
    end
    local dc = str_find(s, "::", 1, true)
    local head, tail
    if dc then
        if str_find(s, "::", dc + 1, true) then
            return nil -- at most one "::"
        end
        local left = str_sub(s, 1, dc - 1)
        local right = str_sub(s, dc + 2)
        if str_byte(right, 1) == COLON then
            return nil -- ":::"
        end
        head = parse_v6_groups(left, {}, false)
        tail = head and parse_v6_groups(right, {}, true)
        if not tail or #head + #tail > 7 then
            return nil
        end
    else
        head = parse_v6_groups(s, {}, true)
        if not head or #head ~= 8 then
            return nil
        end
        tail = {}
    end

    local bytes = {}
    local n = 0
    for i = 1, #head do
        bytes[n + 1] = rshift(head[i], 8)
        bytes[n + 2] = band(head[i], 0xff)
        n = n + 2
    end
    for _ = 1, 8 - #head - #tail do
        bytes[n + 1] = 0
        bytes[n + 2] = 0
        n = n + 2
    end
    for i = 1, #tail do
        bytes[n + 1] = rshift(tail[i], 8)
        bytes[n + 2] = band(tail[i], 0xff)
        n = n + 2
    end
    return bytes
end

local function is_v4_mapped(b)
    for i = 1, 10 do
        if b[i] ~= 0 then
            return false
        end
    end
    return b[11] == 0xff and b[12] == 0xff
end

-- parse(s) -> bytes (4 or 16 entries) or nil. IPv4-mapped IPv6 comes back as IPv4.
-- No zone ids ("fe80::1%eth0"), no brackets, no ports: see strip_port.
local function parse(s)
    if type(s) ~= "string" or s == "" then
        return nil
    end
    if str_find(s, ":", 1, true) then
        local b = parse_v6(s)
        if b and is_v4_mapped(b) then
            return { b[13], b[14], b[15], b[16] }
        end
        return b
    end
    return parse_v4_parts(s)
end
_M.parse = parse

-- an X-Forwarded-For element may carry a port: "192.0.2.1:5123", "[2001:db8::1]:443", "[::1]"
function _M.strip_port(s)
    if str_byte(s, 1) == LBRACKET then
        local close = str_find(s, "]", 2, true)
        if not close then
            return nil
        end
        local rest = str_sub(s, close + 1)
        if rest ~= "" and not str_find(rest, "^:%d+$") then
            return nil
        end
        return str_sub(s, 2, close - 1)
    end
    local colon = str_find(s, ":", 1, true)
    if colon and not str_find(s, ":", colon + 1, true) then
        -- exactly one colon: IPv4 with a port (an IPv6 address has at least two)
        if not str_find(s, "^:%d+$", colon) then
            return nil
        end
        return str_sub(s, 1, colon - 1)
    end
    return s
end

-- parse_cidr("10.0.0.0/8") -> network, or nil and a reason. A bare address is a host route.
-- Host bits are cleared ("10.1.2.3/8" is 10.0.0.0/8). "::ffff:10.0.0.0/104" is 10.0.0.0/8.
function _M.parse_cidr(s)
    if type(s) ~= "string" then
        return nil, "not a string"
    end
    local slash = str_find(s, "/", 1, true)
    local text = slash and str_sub(s, 1, slash - 1) or s
    local prefix
    if slash then
        local p = str_sub(s, slash + 1)
        if not str_find(p, "^%d%d?%d?$") then
            return nil, "bad prefix length"
        end
        prefix = tonumber(p)
    end

    local bytes
    if str_find(text, ":", 1, true) then
        bytes = parse_v6(text)
        if not bytes then
            return nil, "bad address"
        end
        prefix = prefix or 128
        if prefix > 128 then
            return nil, "prefix length over 128"
        end
        if is_v4_mapped(bytes) and prefix >= 96 then
            bytes = { bytes[13], bytes[14], bytes[15], bytes[16] }
            prefix = prefix - 96
        end
    else
        bytes = parse_v4_parts(text)
        if not bytes then
            return nil, "bad address"
        end
        prefix = prefix or 32
        if prefix > 32 then
            return nil, "prefix length over 32"
        end
    end

    local full = floor(prefix / 8)
    local rem = prefix - full * 8
    for i = full + 1, #bytes do
        if i == full + 1 and rem > 0 then
            bytes[i] = band(bytes[i], MASK[rem])
        else
            bytes[i] = 0
        end
    end
    bytes.prefix = prefix
    bytes.full = full
    bytes.rem = rem
    return bytes
end

local function contains(net, b)
    if #b ~= #net then
        return false
    end
    local full = net.full
    for i = 1, full do
        if b[i] ~= net[i] then
            return false
        end
    end
    local rem = net.rem
    if rem > 0 and band(b[full + 1], MASK[rem]) ~= net[full + 1] then
        return false
    end
    return true
end
_M.contains = contains

-- the first network of the list that holds the address, or nil
function _M.find(list, b)
    for i = 1, #list do
        local net = list[i]
        if contains(net, b) then
            return net
        end
    end
    return nil
end

-- canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run as "::")
function _M.format(b)
    if #b == 4 then
        return str_format("%d.%d.%d.%d", b[1], b[2], b[3], b[4])
    end
    local groups = {}
    for i = 1, 8 do
        groups[i] = b[2 * i - 1] * 256 + b[2 * i]
    end
    local best_at, best_len = 0, 1 -- a single zero group is not compressed
    local run_at, run_len = 0, 0
    for i = 1, 8 do
        if groups[i] == 0 then
            if run_len == 0 then
                run_at = i
            end
            run_len = run_len + 1
            if run_len > best_len then
                best_at, best_len = run_at, run_len
            end
        else
            run_len = 0
        end
    end
    local out = {}
    local after_group = false
    local i = 1
    while i <= 8 do
        if i == best_at then
            out[#out + 1] = "::"
            after_group = false
            i = i + best_len
        else
            if after_group then
                out[#out + 1] = ":"
            end
            out[#out + 1] = str_format("%x", groups[i])
            after_group = true
            i = i + 1
        end
    end
    return str_lower(concat(out))
end

return _M
