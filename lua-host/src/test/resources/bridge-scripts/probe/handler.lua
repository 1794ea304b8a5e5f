-- probe: a test module with every phase; each marks that Lua served it.
-- Request header X-Lua-Fail: <phase> raises an error in that phase.
local _M = { _VERSION = "test" }

local function fail_if(phase)
    if ngx.req.get_headers()["x-lua-fail"] == phase then
        error("probe: lua failed in " .. phase)
    end
end

function _M.validate(conf)
    if conf.label == "lua-refuses" then
        return nil, "label: lua-refuses (expected: anything else)"
    end
    return true
end

function _M.rewrite(conf)
    fail_if("rewrite")
    ngx.var.lua_rewrite = "1"
end

function _M.access(conf)
    fail_if("access")
    ngx.var.lua_access = "1"
    if ngx.req.get_headers()["x-content"] then
        ngx.var.graft_content = "probe"
    end
end

function _M.content(conf)
    fail_if("content")
    ngx.var.lua_content = "1"
    ngx.say("lua content")
end

function _M.header_filter(conf)
    fail_if("header_filter")
    ngx.header["X-Lua-Header"] = "1"
    -- a value a Java stage put in ngx.ctx crosses to Lua here
    if ngx.ctx.probe_count then
        ngx.header["X-Ctx-Count"] = tostring(ngx.ctx.probe_count)
    end
end

function _M.body_filter(conf)
    fail_if("body_filter")
    ngx.arg[1] = (ngx.arg[1] or "") .. "+lua"
end

function _M.log(conf)
    fail_if("log")
    ngx.var.lua_log = "1"
end

return _M
