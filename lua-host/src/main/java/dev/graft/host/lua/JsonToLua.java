package dev.graft.host.lua;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.host.lua.ngx.LuaBytes;
import dev.graft.host.lua.lib.LuaNull;
import java.util.Map;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Turns a Jackson tree into Lua values the way cjson decodes JSON: objects and arrays become
 * tables (arrays 1-based), integers that fit stay integers, {@code null} becomes
 * {@link LuaNull#NULL}. Run once per VM on the config, never per request.
 */
public final class JsonToLua {

    private JsonToLua() {}

    public static LuaValue convert(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> {
                LuaTable t = new LuaTable(0, node.size());
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    t.rawset(LuaBytes.utf8(e.getKey()), convert(e.getValue()));
                }
                yield t;
            }
            case ARRAY -> {
                LuaTable t = new LuaTable(node.size(), 0);
                for (int i = 0; i < node.size(); i++) {
                    t.rawset(i + 1, convert(node.get(i)));
                }
                yield t;
            }
            case STRING -> LuaBytes.utf8(node.textValue());
            case NUMBER -> node.canConvertToInt() && node.isIntegralNumber()
                    ? LuaValue.valueOf(node.intValue())
                    : LuaValue.valueOf(node.doubleValue());
            case BOOLEAN -> LuaValue.valueOf(node.booleanValue());
            case NULL, MISSING -> LuaNull.NULL;
            case BINARY, POJO -> LuaBytes.utf8(node.asText());
        };
    }
}
