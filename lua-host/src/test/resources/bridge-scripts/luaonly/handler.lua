-- luaonly: a module without a Java side; it reads what the Java probe put in ngx.ctx.
local _M = {}

function _M.access(conf)
    ngx.var.luaonly = "1"
    if ngx.ctx.probe_count then
        ngx.var.luaonly_saw = tostring(ngx.ctx.probe_count)
    end
end

return _M
