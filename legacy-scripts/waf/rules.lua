-- waf/rules.lua: the built-in rule set of the waf module.
--
-- Ids follow the family numbering of the OWASP Core Rule Set so that operators recognise
-- them (913 scanners, 920 protocol, 921 protocol attacks, 930 path traversal / LFI,
-- 931 remote file inclusion and SSRF, 932 command injection, 933 PHP, 934 XXE,
-- 941 XSS, 942 SQL injection, 944 Java), but the patterns are our own.
--
-- A rule:
--   id           number, unique
--   category     "protocol" | "scanner" | "sqli" | "xss" | "traversal" | "rfi" | "rce" | ...
--   phase        "headers" (needs nothing but the request head) | "body" (reads the body)
--   description  one line, for logs and the operators' list
--   targets      list of target names (see README.md: uri, raw_uri, args, arg_names, ...)
--   operator     "rx" (default): a value matches pattern
--                "!rx": a value does not match pattern
--                "absent": the target has no value at all
--                "gt": a numeric value is greater than limit
--                "len_gt": a value is longer than limit bytes
--   pattern      ngx.re pattern (common PCRE subset: it must also compile as a Java regex)
--   flags        ngx.re options without "o" caching concerns: "jo" (default) or "ijo"
--   limit        number for gt / len_gt; limit_conf names a setting that overrides it
--   methods      optional list: the rule only applies to these request methods
--   transforms   optional list applied to each value before matching:
--                "urldecode", "lowercase", "compress_ws", "remove_nulls"
--   score        anomaly points added when the rule matches
--
-- Severity scores: critical 5, error 4, warning 3, notice 2.
--
-- Patterns stay in the PCRE subset that java.util.regex shares: no \K, no possessive
-- quantifiers, no (?| ), no POSIX classes, '[' and '&&' never unescaped inside a class.

local CRITICAL = 5
local ERROR = 4
local WARNING = 3
local NOTICE = 2

-- where user input lives
local INPUT = { "args", "arg_names", "body_args", "body_arg_names", "body", "cookies",
                "header:referer", "header:user-agent" }
local INPUT_VALUES = { "args", "body_args", "body", "cookies" }
local INPUT_AND_PATH = { "uri", "args", "arg_names", "body_args", "body_arg_names", "body",
                         "cookies", "header:referer", "header:user-agent" }
local EVERYWHERE = { "uri", "args", "arg_names", "body_args", "body_arg_names", "body", "cookies",
                     "headers" }

return {
    -- 913: scanners and probes ------------------------------------------------------------
    {
        id = 913100, category = "scanner", phase = "headers",
        description = "User-Agent of a known security scanner",
        targets = { "header:user-agent" },
        pattern = [[(?:sqlmap|nikto|nmap|masscan|zgrab|nuclei|acunetix|netsparker|wpscan|dirbuster|gobuster|ffuf|wfuzz|w3af|arachni|openvas|nessus|havij|zmeu|jaeles|whatweb|skipfish|commix|fimap|brutus)]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 913110, category = "scanner", phase = "headers",
        description = "request header that only scanners send",
        targets = { "header_names" },
        pattern = [[^(?:acunetix-product|acunetix-scanning-agreement|x-scan-memo|x-wipp|x-ratproxy-loop|x-scanner|x-sqlmap)$]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 913120, category = "scanner", phase = "headers",
        description = "well-known probe path of scanners and bots",
        targets = { "uri" },
        pattern = [[/(?:phpmyadmin|pma|myadmin|mysqladmin|wp-login\.php|xmlrpc\.php|boaform|hnap1|cgi-bin/(?:php|test-cgi|printenv)|manager/html|actuator/(?:env|heapdump))(?:/|$)]],
        flags = "ijo", score = WARNING,
    },
    {
        id = 913130, category = "scanner", phase = "headers",
        description = "User-Agent header present but empty",
        targets = { "header:user-agent" },
        pattern = [[^\s*$]], score = NOTICE,
    },
    {
        id = 913140, category = "scanner", phase = "headers",
        description = "User-Agent of an HTTP library used by crawlers and bots",
        targets = { "header:user-agent" },
        pattern = [[^(?:libwww-perl|lwp-trivial|winhttp\.winhttprequest|morfeus|mj12bot|masscan)]],
        flags = "ijo", score = NOTICE,
    },

    -- 920: protocol anomalies -------------------------------------------------------------
    {
        id = 920100, category = "protocol", phase = "headers",
        description = "request method not allowed",
        targets = { "method" }, operator = "!rx",
        pattern = [[^(?:GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS)$]], score = CRITICAL,
    },
    {
        id = 920160, category = "protocol", phase = "headers",
        description = "Content-Length is not a decimal number",
        targets = { "header:content-length" }, operator = "!rx",
        pattern = [[^\d+$]], score = CRITICAL,
    },
    {
        id = 920170, category = "protocol", phase = "headers",
        description = "GET or HEAD request with a body",
        targets = { "content_length" }, operator = "gt", limit = 0,
        methods = { "GET", "HEAD" }, score = CRITICAL,
    },
    {
        id = 920180, category = "protocol", phase = "headers",
        description = "both Content-Length and Transfer-Encoding (request smuggling)",
        targets = { "length_and_chunked" }, pattern = [[^yes$]], score = CRITICAL,
    },
    {
        id = 920200, category = "protocol", phase = "headers",
        description = "Range header with too many ranges",
        targets = { "header:range", "header:request-range" },
        pattern = [[^bytes=(?:[^,]*,){5}]], flags = "ijo", score = WARNING,
    },
    {
        id = 920220, category = "protocol", phase = "headers",
        description = "invalid percent-encoding in the request target",
        targets = { "raw_uri" },
        pattern = [[%(?![0-9a-fA-F]{2})]], score = WARNING,
    },
    {
        id = 920230, category = "protocol", phase = "body",
        description = "multiple percent-encoding (a value still encoded after decoding)",
        targets = { "args", "body_args", "cookies" },
        pattern = [[%(?:25|2[0-9a-fA-F]|3[cCeE]|5[cC])]], score = NOTICE,
    },
    {
        id = 920240, category = "protocol", phase = "body",
        description = "IIS %u Unicode encoding (an evasion: nginx does not decode it)",
        targets = { "raw_uri", "args", "body_args", "cookies" },
        pattern = [[%u[0-9a-fA-F]{4}]], flags = "ijo", score = WARNING,
    },
    {
        id = 920270, category = "protocol", phase = "body",
        description = "NUL byte in the request",
        targets = { "uri", "args", "arg_names", "body_args", "body_arg_names", "cookies", "headers" },
        pattern = [[\x00]], score = CRITICAL,
    },
    {
        id = 920271, category = "protocol", phase = "body",
        description = "control characters in arguments",
        targets = { "args", "arg_names", "body_args", "cookies" },
        pattern = [=[[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]]=], score = WARNING,
    },
    {
        id = 920280, category = "protocol", phase = "headers",
        description = "Host header missing",
        targets = { "header:host" }, operator = "absent", score = WARNING,
    },
    {
        id = 920290, category = "protocol", phase = "headers",
        description = "Host header empty",
        targets = { "header:host" }, pattern = [[^\s*$]], score = WARNING,
    },
    {
        id = 920360, category = "protocol", phase = "body",
        description = "argument name too long",
        targets = { "arg_names", "body_arg_names" }, operator = "len_gt",
        limit = 100, limit_conf = "max_arg_name_length", score = CRITICAL,
    },
    {
        id = 920370, category = "protocol", phase = "body",
        description = "argument value too long",
        targets = { "args", "body_args" }, operator = "len_gt",
        limit = 4000, limit_conf = "max_arg_length", score = CRITICAL,
    },
    {
        id = 920380, category = "protocol", phase = "body",
        description = "too many arguments",
        targets = { "args_count" }, operator = "gt",
        limit = 100, limit_conf = "max_args", score = CRITICAL,
    },
    {
        id = 920430, category = "protocol", phase = "headers",
        description = "HTTP protocol version not allowed",
        targets = { "protocol" }, operator = "!rx",
        pattern = [[^HTTP/(?:1\.[01]|2(?:\.0)?)$]], score = CRITICAL,
    },
    {
        id = 920500, category = "protocol", phase = "body",
        description = "JSON request body that does not parse",
        targets = { "body_status" }, pattern = [[^invalid_json$]], score = CRITICAL,
    },
    {
        id = 920510, category = "protocol", phase = "body",
        description = "request body over the inspection limit (not inspected)",
        targets = { "body_status" }, pattern = [[^too_large$]], score = WARNING,
    },
    {
        id = 920520, category = "protocol", phase = "body",
        description = "JSON request body nested too deep",
        targets = { "body_status" }, pattern = [[^too_deep$]], score = CRITICAL,
    },

    -- 921: protocol attacks -----------------------------------------------------------------
    {
        id = 921110, category = "protocol-attack", phase = "body",
        description = "HTTP request smuggled in a value",
        targets = INPUT_VALUES,
        pattern = [[[\r\n]\s*(?:get|post|head|put|delete|options|patch)\s+\S+\s+http/\d]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 921120, category = "protocol-attack", phase = "body",
        description = "HTTP response splitting (CRLF followed by a header)",
        targets = { "args", "arg_names", "body_args", "cookies" },
        pattern = [[[\r\n]\s*(?:set-cookie|location|content-(?:type|length)|refresh)\s*:]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 921130, category = "protocol-attack", phase = "headers",
        description = "encoded CR or LF in the request target",
        targets = { "raw_uri" },
        pattern = [=[%0[ad]]=], flags = "ijo", score = WARNING,
    },

    -- 930: path traversal and local files ---------------------------------------------------
    {
        id = 930100, category = "traversal", phase = "headers",
        description = "encoded path traversal in the request target",
        targets = { "raw_uri" },
        pattern = [[(?:%(?:25)?2e){2}(?:%(?:25)?2f|%(?:25)?5c|/|\\)|\.\.(?:%(?:25)?2f|%(?:25)?5c)|(?:\.%(?:25)?2e|%(?:25)?2e\.)(?:/|\\)]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 930110, category = "traversal", phase = "body",
        description = "path traversal in a value",
        targets = { "uri", "args", "body_args", "cookies", "header:referer" },
        pattern = [[(?:^|[\\/])\.\.(?:[\\/]|$)]], score = CRITICAL,
    },
    {
        id = 930120, category = "traversal", phase = "body",
        description = "access to an operating system file",
        targets = INPUT_AND_PATH,
        pattern = [[(?:/etc/(?:passwd|shadow|group|hosts|issue|sudoers)\b|/proc/(?:self|\d+)/(?:environ|cmdline|maps|fd)|(?:c:)?\\windows\\(?:system32|win\.ini)|\bboot\.ini\b|/\.ssh/|\bid_(?:rsa|dsa|ecdsa|ed25519)\b)]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 930130, category = "traversal", phase = "headers",
        description = "access to a restricted file (version control, secrets, server config)",
        targets = { "uri" },
        pattern = [[/(?:\.git|\.svn|\.hg|\.bzr|\.env|\.htaccess|\.htpasswd|\.ds_store|\.aws|\.npmrc|wp-config\.php|web\.config)(?:/|$)]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 930140, category = "traversal", phase = "headers",
        description = "request for a backup, dump or key file",
        targets = { "uri" },
        pattern = [[\.(?:bak|backup|old|orig|swp|save|sql|sqlite|mdb|pem|key|p12|pfx)$]],
        flags = "ijo", score = ERROR,
    },

    -- 931: remote file inclusion and SSRF ---------------------------------------------------
    {
        id = 931100, category = "rfi", phase = "body",
        description = "URL with a numeric IP address in a parameter",
        targets = { "args", "body_args" },
        pattern = [[^(?:https?|ftp)://\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}]], flags = "ijo", score = WARNING,
    },
    {
        id = 931110, category = "rfi", phase = "body",
        description = "stream wrapper (php://, phar://, expect://, file://) in a parameter",
        targets = INPUT_VALUES,
        pattern = [[\b(?:php|phar|zip|expect|file|glob|data|gopher|dict)://]], flags = "ijo", score = CRITICAL,
    },
    {
        id = 931120, category = "ssrf", phase = "body",
        description = "cloud metadata or loopback address in a parameter (SSRF)",
        targets = INPUT_VALUES,
        pattern = [[(?:169\.254\.169\.254|metadata\.google\.internal|100\.100\.100\.200|://(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\])(?::\d+)?(?:/|$))]],
        flags = "ijo", score = CRITICAL,
    },

    -- 932: remote command execution ---------------------------------------------------------
    {
        id = 932100, category = "rce", phase = "body",
        description = "Unix command after a shell separator",
        targets = INPUT,
        pattern = [[(?:[;|`]|&&|\|\||\$\()\s*(?:cat|ls|id|whoami|uname|wget|curl|nc|ncat|bash|sh|zsh|python[23]?|perl|ruby|php|chmod|chown|rm|echo|ping|nslookup|sleep|ifconfig|netstat|ps|kill|base64)\b]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 932110, category = "rce", phase = "body",
        description = "shell command substitution",
        targets = INPUT,
        pattern = [[\$\([^)]+\)|`[^`]+`]], score = ERROR,
    },
    {
        id = 932120, category = "rce", phase = "body",
        description = "Windows command or PowerShell invocation",
        targets = INPUT,
        pattern = [[(?:^|[;&|])\s*(?:cmd(?:\.exe)?\s+/[ck]\b|powershell(?:\.exe)?\s+-|net\s+(?:user|localgroup)\b|certutil(?:\.exe)?\s+-urlcache)]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 932130, category = "rce", phase = "body",
        description = "path of a shell or interpreter",
        targets = INPUT,
        pattern = [[/(?:usr/)?(?:local/)?bin/(?:ba|z|da|k|c|tc)?sh\b|/usr/bin/(?:env|perl|python[23]?|ruby|php)\b]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 932140, category = "rce", phase = "body",
        description = "shell field-separator evasion (${IFS})",
        targets = INPUT_AND_PATH,
        pattern = [[\$\{?IFS\b]], score = CRITICAL,
    },
    {
        id = 932150, category = "rce", phase = "body",
        description = "reverse shell",
        targets = INPUT,
        pattern = [[/dev/(?:tcp|udp)/|\bnc(?:at)?\s+(?:-\w+\s+)*\S+\s+\d+\s+-e\b|\bbash\s+-i\s+>&|\bmkfifo\s]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 932160, category = "rce", phase = "headers",
        description = "Shellshock function definition",
        targets = { "headers", "args", "cookies" },
        pattern = [[^\s*\(\s*\)\s*\{]], score = CRITICAL,
    },

    -- 933: PHP injection --------------------------------------------------------------------
    {
        id = 933100, category = "php", phase = "body",
        description = "PHP open tag",
        targets = INPUT_VALUES,
        pattern = [[<\?(?:php\b|=)]], flags = "ijo", score = CRITICAL,
    },
    {
        id = 933150, category = "php", phase = "body",
        description = "call of a dangerous PHP function",
        targets = INPUT_VALUES,
        pattern = [[\b(?:system|exec|passthru|shell_exec|popen|proc_open|pcntl_exec|assert|create_function|call_user_func|base64_decode|phpinfo|file_get_contents|file_put_contents|fsockopen)\s*\(]],
        flags = "ijo", score = CRITICAL,
    },

    -- 934: XML external entities ------------------------------------------------------------
    {
        id = 934100, category = "xxe", phase = "body",
        description = "XML external entity declaration",
        targets = { "body", "body_args", "args" },
        pattern = [[<!(?:ENTITY\s+(?:%\s*)?\S+\s+(?:SYSTEM|PUBLIC)\b|DOCTYPE\s+\S+\s+(?:SYSTEM|PUBLIC|\[))]],
        flags = "ijo", score = CRITICAL,
    },

    -- 941: cross-site scripting -------------------------------------------------------------
    {
        id = 941100, category = "xss", phase = "body",
        description = "script tag",
        targets = INPUT_AND_PATH,
        pattern = [[<\s*/?\s*script\b]], flags = "ijo", score = CRITICAL,
    },
    {
        id = 941110, category = "xss", phase = "body",
        description = "HTML event handler attribute",
        targets = INPUT_AND_PATH,
        pattern = [[\bon(?:error|load|unload|click|dblclick|mouse(?:over|out|down|up|move|enter|leave)|focus|blur|submit|change|input|key(?:up|down|press)|animation(?:start|end)|transitionend|toggle|pageshow|hashchange|message|begin)\s*=]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 941120, category = "xss", phase = "body",
        description = "javascript: or vbscript: URI",
        targets = INPUT_AND_PATH,
        pattern = [[(?:java|vb)\s*script\s*:]], flags = "ijo", score = CRITICAL,
    },
    {
        id = 941130, category = "xss", phase = "body",
        description = "tag that can carry active content",
        targets = INPUT_AND_PATH,
        pattern = [[<\s*(?:iframe|frame|frameset|object|embed|applet|meta|base|svg|math|link|style|form|isindex|xml)\b]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 941140, category = "xss", phase = "body",
        description = "CSS expression() or -moz-binding",
        targets = INPUT_VALUES,
        pattern = [[\bexpression\s*\(|-moz-binding\s*:|\bbehavior\s*:\s*url\s*\(]], flags = "ijo", score = ERROR,
    },
    {
        id = 941150, category = "xss", phase = "body",
        description = "data: URI carrying HTML, script or SVG",
        targets = INPUT_VALUES,
        pattern = [[data\s*:\s*(?:text/html|text/javascript|application/(?:x-)?(?:java|ecma)script|image/svg\+xml)]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 941160, category = "xss", phase = "body",
        description = "DOM sink or dialog call typical of XSS payloads",
        targets = INPUT_VALUES,
        pattern = [[\b(?:document\s*\.\s*(?:cookie|write|domain)|window\s*\.\s*location|\.innerhtml\s*=|eval\s*\(|alert\s*\(|prompt\s*\(|confirm\s*\(|string\s*\.\s*fromcharcode\s*\()]],
        flags = "ijo", score = ERROR,
    },
    {
        id = 941170, category = "xss", phase = "body",
        description = "HTML-entity or escape-encoded angle bracket before script or an event",
        targets = INPUT_VALUES,
        pattern = [[(?:&(?:lt|#0*60|#x0*3c);?|\\(?:x3c|u003c))\s*/?\s*(?:script|img|svg|iframe)]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 941180, category = "xss", phase = "body",
        description = "attribute breakout followed by a new tag",
        targets = INPUT_VALUES,
        pattern = [=[["'][\s/]*>\s*<\s*[a-z!/]]=], flags = "ijo", score = ERROR,
    },

    -- 942: SQL injection --------------------------------------------------------------------
    {
        id = 942100, category = "sqli", phase = "body",
        description = "quoted tautology (' OR 'a'='a, \" OR 1=1)",
        targets = INPUT,
        pattern = [=[['"`)]\s*(?:or|and|xor|\|\||&&)\s*\(?\s*['"]?[\w.]+['"]?\s*(?:=|<>|!=|<=?|>=?|\blike\b|\bis\b|\brlike\b|\bregexp\b)]=],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 942110, category = "sqli", phase = "body",
        description = "numeric tautology (OR 1=1, AND 2>1)",
        targets = INPUT,
        pattern = [[\b(?:or|and|xor)\s+\(?\s*\d+\s*(?:=|<>|!=|<|>|<=|>=)\s*\d+\b]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 942120, category = "sqli", phase = "body",
        description = "UNION SELECT",
        targets = INPUT,
        pattern = [[\bunion\b(?:\s|/\*[\s\S]*?\*/|\()+(?:all\b|distinct\b)?(?:\s|/\*[\s\S]*?\*/|\()*select\b]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 942130, category = "sqli", phase = "body",
        description = "database catalog or system table",
        targets = INPUT,
        pattern = [[\b(?:information_schema|mysql\.(?:user|db)|sysobjects|syscolumns|sys\.tables|pg_catalog|pg_shadow|pg_user|sqlite_master|msysaccessobjects|all_tables|user_tables)\b]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 942140, category = "sqli", phase = "body",
        description = "time-based blind injection (SLEEP, BENCHMARK, WAITFOR DELAY)",
        targets = INPUT,
        pattern = [[\b(?:sleep\s*\(\s*\d|benchmark\s*\(\s*\d|pg_sleep\s*\(|waitfor\s+delay\s+['"]|dbms_lock\.sleep\s*\()]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 942150, category = "sqli", phase = "body",
        description = "quote followed by a SQL comment (admin'--, 1'#)",
        targets = INPUT,
        pattern = [=[['"`]\s*\)?\s*(?:--|#|/\*|;\s*--)]=], score = CRITICAL,
    },
    {
        id = 942160, category = "sqli", phase = "body",
        description = "stacked query",
        targets = INPUT,
        pattern = [[;\s*(?:drop|delete|insert|update|select|create|alter|truncate|exec|execute|shutdown|declare|grant|rename)\s]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 942170, category = "sqli", phase = "body",
        description = "MSSQL extended or system stored procedure",
        targets = INPUT,
        pattern = [[\b(?:xp_cmdshell|xp_regread|xp_dirtree|sp_oacreate|sp_executesql|sp_makewebtask|opendatasource|openrowset)\b]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 942180, category = "sqli", phase = "body",
        description = "INTO OUTFILE / DUMPFILE or LOAD_FILE",
        targets = INPUT,
        pattern = [[\binto\s+(?:outfile|dumpfile)\b|\bload_file\s*\(]], flags = "ijo", score = CRITICAL,
    },
    {
        id = 942190, category = "sqli", phase = "body",
        description = "ORDER BY / GROUP BY column probing after a quote or paren",
        targets = INPUT,
        pattern = [=[['")]\s*(?:order|group)\s+by\s+\d]=], flags = "ijo", score = CRITICAL,
    },
    {
        id = 942200, category = "sqli", phase = "body",
        description = "MySQL versioned comment or comment-obfuscated keyword",
        targets = INPUT,
        pattern = [[/\*!\d{0,5}|/\*[\s\S]*?\*/\s*(?:select|union|from|where|and|or)\b]], flags = "ijo", score = CRITICAL,
    },
    {
        id = 942210, category = "sqli", phase = "body",
        description = "error-based extraction functions",
        targets = INPUT,
        pattern = [[\b(?:extractvalue|updatexml|exp\s*\(\s*~|floor\s*\(\s*rand\s*\(|geometrycollection|polygon|multipoint)\s*\(]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 942220, category = "sqli", phase = "body",
        description = "DROP / TRUNCATE / ALTER of a table or database",
        targets = INPUT,
        pattern = [[\b(?:drop|truncate|alter)\s+(?:table|database|schema|user)\b]], flags = "ijo", score = CRITICAL,
    },
    {
        id = 942230, category = "sqli", phase = "body",
        description = "SELECT ... FROM",
        targets = INPUT,
        pattern = [[\bselect\b[\s\S]{1,100}?\bfrom\b]], flags = "ijo", score = WARNING,
    },
    {
        id = 942240, category = "sqli", phase = "body",
        description = "INSERT INTO / DELETE FROM / UPDATE ... SET",
        targets = INPUT,
        pattern = [[\b(?:insert\s+into|delete\s+from|update\s+\w+\s+set)\b]], flags = "ijo", score = WARNING,
    },
    {
        id = 942250, category = "sqli", phase = "body",
        description = "string building functions used to hide payloads (CHAR(), CONCAT(), 0x..)",
        targets = INPUT,
        pattern = [[\b(?:char|nchar|chr|concat|concat_ws|group_concat)\s*\(\s*(?:\d|0x|['"])|\b0x[0-9a-f]{16,}\b]],
        flags = "ijo", score = WARNING,
    },

    -- 944: Java -----------------------------------------------------------------------------
    {
        id = 944100, category = "java", phase = "body",
        description = "Java runtime or process builder reference",
        targets = INPUT_VALUES,
        pattern = [[java\.lang\.(?:runtime|processbuilder|system)\b|\bjavax?\.script\.scriptenginemanager\b]],
        flags = "ijo", score = CRITICAL,
    },
    {
        id = 944150, category = "java", phase = "body",
        description = "JNDI / Log4Shell lookup",
        targets = EVERYWHERE,
        pattern = [[\$\{\s*(?:jndi|ctx|env|sys|lower|upper|main|date|java|base64|::-j)\s*:]],
        flags = "ijo", score = CRITICAL,
    },
}
