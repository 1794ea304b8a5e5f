/**
 * waf: the anomaly-scoring web application firewall (access phase): 72 built-in rules in the
 * OWASP CRS families plus custom rules, checked against the request head, the query and the
 * form or JSON body; block, log or off. The Java port of legacy-scripts/waf/ (handler.lua,
 * rules.lua, README.md, cases/): the rules are data ({@link dev.graft.modules.waf.BuiltinRules}),
 * compiled once with PcreRegex, matched in the Lua order with the Lua transforms on byte
 * strings (one char per byte).
 */
package dev.graft.modules.waf;
