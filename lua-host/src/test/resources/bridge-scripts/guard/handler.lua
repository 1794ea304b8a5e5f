-- guard: a security test module (access only). X-Guard-Lua: fail raises; X-Block: 1 refuses.
local _M = {}

function _M.access(conf)
    local h = ngx.req.get_headers()
    if h["x-guard-lua"] == "fail" then
        error("guard: lua failed")
    end
    if h["x-block"] then
        return ngx.exit(403)
    end
    ngx.var.guard = "lua"
end

return _M
