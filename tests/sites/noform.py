"""noform.localhost — "The Slow Reader": a blog with no login anywhere.

It has a search box and a newsletter sign-up (an email field) — neither is a login form.
"""

from __future__ import annotations

from tests.sites.framework import Request, Response, Site, document, esc, html_response

CSS = """
body { margin: 0; font: 18px/1.7 Charter, 'Bitstream Charter', Georgia, serif; background: #fff; color: #292929; }
header { max-width: 700px; margin: 0 auto; padding: 28px 20px; display: flex; align-items: center; gap: 22px; }
header .title { font-size: 26px; font-weight: bold; color: #292929; text-decoration: none; margin-right: auto; }
header a { color: #6b6b6b; font-size: 15px; }
header input[type=search] { font-size: 14px; padding: 4px 8px; border: 1px solid #ddd; border-radius: 14px; }
article, .posts { max-width: 700px; margin: 0 auto; padding: 0 20px; }
.posts h2 a { color: #292929; text-decoration: none; } .posts .date { color: #888; font-size: 14px; }
aside.newsletter { max-width: 700px; margin: 50px auto; padding: 20px; background: #f7f4ee; font-size: 15px; }
aside.newsletter input { padding: 6px; font-size: 15px; } footer { text-align: center; color: #999; font-size: 13px; padding: 30px; }
"""

POSTS = {
    "on-slowness": (
        "On slowness",
        "March 3, 2025",
        "Reading one book a month is a feature, not a bug. Here is why I stopped counting.",
    ),
    "marginalia": (
        "In praise of marginalia",
        "February 12, 2025",
        "The best notes are the ones written in pencil, in the margins, in a hurry.",
    ),
    "libraries": (
        "Small libraries",
        "January 20, 2025",
        "A shelf of twelve books you love beats a wall of books you mean to read.",
    ),
}


class NoFormSite(Site):
    hosts = ("noform.localhost",)
    brand = "The Slow Reader"

    def dispatch(self, req: Request) -> Response | None:
        parts = req.path.strip("/").split("/")
        match req.method, parts:
            case "GET", [""]:
                items = "".join(
                    f'<div><h2><a href="/posts/{slug}">{esc(title)}</a></h2><p class="date">{esc(date)}</p><p>{esc(lead)}</p></div>'
                    for slug, (title, date, lead) in POSTS.items()
                )
                return self.page("The Slow Reader", f'<div class="posts">{items}</div>')
            case "GET", ["posts", slug] if slug in POSTS:
                title, date, lead = POSTS[slug]
                body = f"<article><h1>{esc(title)}</h1><p class='date'>{esc(date)}</p><p>{esc(lead)}</p><p>{esc(lead)}</p></article>"
                return self.page(title, body)
            case "GET", ["about"]:
                return self.page(
                    "About", "<article><h1>About</h1><p>A blog about reading less, and better.</p></article>"
                )
            case "GET", ["search"]:
                q = req.query.get("q", "")
                return self.page(
                    "Search", f"<article><h1>Results for “{esc(q)}”</h1><p>Nothing found.</p></article>"
                )
            case "POST", ["subscribe"]:
                return self.page("Subscribed", "<article><h1>Thanks — see you next month.</h1></article>")
        return None

    def page(self, title: str, main: str) -> Response:
        body = f"""
<header><a class="title" href="/">The Slow Reader</a><a href="/">Home</a><a href="/archive">Archive</a><a href="/about">About</a>
<form action="/search" role="search"><input type="search" name="q" placeholder="Search posts" aria-label="Search posts"></form></header>
{main}
<aside class="newsletter"><form action="/subscribe" method="post">One letter a month, no more.
  <input type="email" name="email" placeholder="Your email address" aria-label="Email address"> <button type="submit">Subscribe</button></form></aside>
<footer>© 2025 The Slow Reader · <a href="/feed.xml">RSS</a></footer>"""
        return html_response(document(title, body, css=CSS))

    def render(self, title: str, main: str, session: object, status: int = 200) -> Response:
        response = self.page(title, f"<article>{main}</article>")
        response.status = status
        return response
