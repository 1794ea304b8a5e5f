-- luaonly: a module without a Java side; it reads what the Java probe put in ngx.ctx.
local _M = {}

function _M.access(conf)
    ngx.var.luaonly = "1"
    if ngx.ctx.probe_count then
        ngx.var.luaonly_saw = tostring(ngx.ctx.probe_count)
    end
    local h = ngx.req.get_headers()
    if h["x-ctx-nine"] then
        ngx.ctx.probe_count = 9        -- a Lua value a Java stage reads later
    elseif h["x-ctx-bad"] then
        ngx.ctx.probe_count = "seven"  -- not an integer: Java reads it as absent
    end
end

return _M
