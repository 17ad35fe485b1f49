"""Notice bodies: Markdown rendered to HTML and sanitised, so no script ever reaches a page."""
import markdown
import nh3
from markupsafe import Markup

# A small, safe subset: text structure, tables and links. No images, styles or event handlers.
TAGS = {"p", "br", "hr", "strong", "em", "b", "i", "u", "s", "del", "code", "pre", "blockquote",
        "ul", "ol", "li", "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "a"}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(html: str) -> str:
    """Strip everything outside the safe subset (scripts, handlers, javascript: and data: links)."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True)


def to_html(source: str) -> Markup:
    """Render a notice body (Markdown) to sanitised HTML."""
    # Markdown passes raw HTML through, so the sanitiser runs on its whole output, every render:
    # a body saved before a rule was tightened is cleaned by today's rules.
    html = markdown.markdown(source or "", extensions=["tables", "sane_lists", "nl2br"],
                             output_format="html")
    return Markup(clean_html(html))


def clean_source(source: str) -> str:
    """Normalise a body as saved: no NUL or control characters, unified line ends."""
    source = (source or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in source if ch in "\n\t" or ch >= " ")


def plain(source: str, limit: int = 120) -> str:
    """Return the body as plain text (for search snippets and the screen's summary)."""
    text = nh3.clean(markdown.markdown(source or ""), tags=set())
    text = " ".join(text.split())
    return text[:limit] + ("…" if len(text) > limit else "")
