package dev.graft.bridge;

import java.util.List;
import java.util.Map;

/**
 * The value types a {@link CtxKey} may carry, each with exactly one conversion to and from Lua.
 * Absent in Java is {@code nil} in Lua, in both directions; a Lua value of the wrong shape reads
 * as absent and is counted by the host as a conversion failure.
 *
 * <table>
 *   <caption>conversions</caption>
 *   <tr><th>type</th><th>Java</th><th>Lua</th></tr>
 *   <tr><td>{@link Text}</td><td>String</td><td>string, UTF-8 bytes</td></tr>
 *   <tr><td>{@link Bytes}</td><td>byte[]</td><td>string, bytes as they are</td></tr>
 *   <tr><td>{@link Int}</td><td>Long</td><td>number with an integral value</td></tr>
 *   <tr><td>{@link Num}</td><td>Double</td><td>number</td></tr>
 *   <tr><td>{@link Bool}</td><td>Boolean</td><td>boolean</td></tr>
 *   <tr><td>{@link TextList}</td><td>List&lt;String&gt;</td><td>sequence of strings (numbers read as their text)</td></tr>
 *   <tr><td>{@link IntList}</td><td>List&lt;Long&gt;</td><td>sequence of numbers with integral values</td></tr>
 *   <tr><td>{@link Fields}</td><td>Map&lt;String, Object&gt; of String, Long, Double, Boolean</td><td>table with string keys and scalar values</td></tr>
 * </table>
 *
 * @param <T> the Java type
 */
public sealed interface CtxType<T> {

    record Text() implements CtxType<String> {}

    record Bytes() implements CtxType<byte[]> {}

    record Int() implements CtxType<Long> {}

    record Num() implements CtxType<Double> {}

    record Bool() implements CtxType<Boolean> {}

    record TextList() implements CtxType<List<String>> {}

    /** A list of integers, such as the waf's matched rule ids ({@code ngx.ctx.waf_matches}). */
    record IntList() implements CtxType<List<Long>> {}

    record Fields() implements CtxType<Map<String, Object>> {}

    CtxType<String> TEXT = new Text();
    CtxType<byte[]> BYTES = new Bytes();
    CtxType<Long> INT = new Int();
    CtxType<Double> NUM = new Num();
    CtxType<Boolean> BOOL = new Bool();
    CtxType<List<String>> TEXT_LIST = new TextList();
    CtxType<List<Long>> INT_LIST = new IntList();
    CtxType<Map<String, Object>> FIELDS = new Fields();
}
