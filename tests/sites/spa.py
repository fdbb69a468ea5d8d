"""spa.localhost — "Pulse": a single-page app with no <form> and no cookies.

One HTML page; its script renders the email view, then the password view (same URL, only the hash
changes), then the signed-in view into ``<div id=app>``. The buttons are ``<div role=button>``. The
API hands out a bearer token, which the app keeps in IndexedDB (database ``spa-auth``, store
``tokens``, key ``session``) and sends as ``Authorization: Bearer`` — so the browser profile carries
the login, but no cookie does.
"""

from __future__ import annotations

from typing import Any

from tests.sites import accounts
from tests.sites.framework import Request, Response, Site, document, html_response, json_response

CSS = """
:root { --ink: #111827; --muted: #6b7280; --brand: #db2777; }
body { margin: 0; font: 15px/1.5 Inter, system-ui, sans-serif; color: var(--ink); background: linear-gradient(160deg, #fdf2f8, #eef2ff); min-height: 100vh; }
.topnav { display: flex; align-items: center; gap: 22px; padding: 16px 36px; }
.topnav .logo { font-weight: 800; font-size: 20px; color: var(--brand); }
.topnav a { color: var(--muted); text-decoration: none; font-size: 14px; }
.topnav .spacer { flex: 1; }
#app { max-width: 420px; margin: 72px auto; background: #fff; border-radius: 18px; padding: 36px; box-shadow: 0 20px 50px rgba(17,24,39,.08); }
.view-title { font-size: 26px; font-weight: 700; margin: 0 0 6px; }
.hint { color: var(--muted); margin: 0 0 22px; }
.input { width: 100%; box-sizing: border-box; border: 2px solid #e5e7eb; border-radius: 10px; padding: 12px 14px; font-size: 15px; outline: none; }
.input:focus { border-color: var(--brand); }
.cta { margin-top: 18px; background: var(--brand); color: #fff; text-align: center; border-radius: 10px; padding: 12px; font-weight: 600; cursor: pointer; user-select: none; }
.cta.busy { opacity: .6; pointer-events: none; }
.ghost { margin-top: 14px; color: var(--muted); font-size: 13px; cursor: pointer; text-decoration: underline; }
.err { color: #b91c1c; font-size: 14px; margin-top: 10px; min-height: 1em; }
.whoami { display: flex; align-items: center; gap: 12px; margin: 18px 0; }
.whoami .pic { width: 44px; height: 44px; border-radius: 50%; background: var(--brand); color: #fff; display: grid; place-items: center; font-weight: 700; }
.stats { display: flex; gap: 12px; } .stats div { flex: 1; background: #fdf2f8; border-radius: 10px; padding: 10px; text-align: center; }
.logout { margin-top: 22px; display: inline-block; border: 1px solid #e5e7eb; border-radius: 8px; padding: 8px 16px; cursor: pointer; }
"""

SCRIPT = r"""
const app = document.getElementById("app");
const state = { email: "" };

// --- IndexedDB: where the app keeps its bearer token between visits
function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open("spa-auth", 1);
    req.onupgradeneeded = () => req.result.createObjectStore("tokens");
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
async function tokenStore(mode, action) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction("tokens", mode);
    const req = action(tx.objectStore("tokens"));
    tx.oncomplete = () => { db.close(); resolve(req.result); };
    tx.onerror = () => { db.close(); reject(tx.error); };
  });
}
const getToken = () => tokenStore("readonly", (s) => s.get("session"));
const saveToken = (token) => tokenStore("readwrite", (s) => s.put(token, "session"));
const dropToken = () => tokenStore("readwrite", (s) => s.delete("session"));

// --- tiny view helpers
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v); else el.setAttribute(k, v);
  }
  for (const c of children) el.append(c);
  return el;
}
function button(label, onActivate, cls) {
  const el = h("div", { role: "button", tabindex: "0", class: cls || "cta" }, label);
  el.addEventListener("click", onActivate);
  el.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); onActivate(); } });
  return el;
}
function onEnter(input, fn) {
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); fn(); } });
}
function show(...children) { app.replaceChildren(...children); document.body.removeAttribute("data-sandbox-state"); }

// --- views
function emailView(message) {
  history.replaceState(null, "", location.pathname);
  const input = h("input", { id: "email-input", class: "input", type: "email", "aria-label": "Work email", placeholder: "you@company.com", autocomplete: "username" });
  input.value = state.email;
  const err = h("div", { class: "err", role: "alert" }, message || "");
  const next = () => {
    const value = input.value.trim();
    if (!/^[^@\s]+@[^@\s]+$/.test(value)) { err.textContent = "Enter a valid email address."; return; }
    state.email = value;
    passwordView();
  };
  onEnter(input, next);
  show(h("h1", { class: "view-title" }, "Welcome to Pulse"), h("p", { class: "hint" }, "Enter your work email to get started."),
       input, err, button("Continue", next));
  input.focus();
}

function passwordView() {
  history.replaceState(null, "", "#password");
  const input = h("input", { id: "password-input", class: "input", type: "password", placeholder: "Password", autocomplete: "current-password" });
  const err = h("div", { class: "err", role: "alert" });
  let cta;
  const submit = async () => {
    if (!input.value) { err.textContent = "Enter your password."; return; }
    cta.classList.add("busy");
    err.textContent = "";
    try {
      const res = await fetch("/api/login", { method: "POST", headers: { "Content-Type": "application/json" },
                                              body: JSON.stringify({ email: state.email, password: input.value }) });
      const data = await res.json();
      if (!res.ok) { err.textContent = data.error || "Something went wrong."; input.value = ""; input.focus(); return; }
      await saveToken(data.token);
      homeView(data.user);
    } catch (e) {
      err.textContent = "Network error, try again.";
    } finally {
      cta.classList.remove("busy");
    }
  };
  onEnter(input, submit);
  cta = button("Log in", submit);
  show(h("h1", { class: "view-title" }, "Enter your password"), h("p", { class: "hint" }, state.email),
       input, err, cta, button("Use a different email", () => emailView(), "ghost"));
  input.focus();
}

function homeView(user) {
  history.replaceState(null, "", location.pathname);
  const logout = async () => {
    const token = await getToken();
    await fetch("/api/logout", { method: "POST", headers: { Authorization: "Bearer " + token } });
    await dropToken();
    emailView();
  };
  show(h("h1", { class: "view-title" }, "Hi, " + user.name),
       h("div", { class: "whoami" }, h("div", { class: "pic" }, user.name[0]), h("div", {}, h("b", {}, user.name), h("br"), user.email)),
       h("div", { class: "stats" }, h("div", {}, h("b", {}, "14"), h("br"), "open tasks"), h("div", {}, h("b", {}, "3"), h("br"), "mentions")),
       button("Logout", logout, "logout"));
  document.body.setAttribute("data-sandbox-state", "logged-in");
}

// --- start: whoever the stored token says we are
(async () => {
  let token = null;
  try { token = await getToken(); } catch (e) { token = null; }
  if (token) {
    const res = await fetch("/api/me", { headers: { Authorization: "Bearer " + token } });
    if (res.ok) { homeView(await res.json()); return; }
    await dropToken();
  }
  emailView();
})();
"""


class SpaSite(Site):
    hosts = ("spa.localhost",)
    brand = "Pulse"
    identifier_key = "email"

    def dispatch(self, req: Request) -> Response | None:
        match req.method, req.path:
            case "GET", "/":
                return self.shell()
            case "POST", "/api/login":
                return self.api_login(req)
            case "GET", "/api/me":
                session = self.sessions.get(req.bearer)
                if not session:
                    return json_response({"error": "unauthorized"}, 401)
                return json_response(self._user())
            case "POST", "/api/logout":
                self.sessions.drop(req.bearer)
                return Response(b"", 204)
        return None

    def shell(self) -> Response:
        body = (
            '<nav class="topnav"><span class="logo">◉ Pulse</span><a href="/pricing">Pricing</a>'
            '<a href="/docs">Docs</a><a href="/blog">Blog</a><span class="spacer"></span>'
            '<a href="/help">Help</a></nav>\n'
            '<div id="app"><p class="hint">Loading…</p></div>\n'
            f"<script>{SCRIPT}</script>"
        )
        return html_response(document("Pulse", body, css=CSS))

    def api_login(self, req: Request) -> Response:
        data = req.json
        email = str(data.get("email", ""))
        ok = accounts.check_password(email, str(data.get("password", "")))
        self.record_attempt(email, ok)
        if not ok:
            return json_response({"error": "That email and password don't match. Try again."}, 401)
        session = self.sessions.create(accounts.USERNAME)
        return json_response({"token": session.token, "user": self._user()})

    @staticmethod
    def _user() -> dict[str, Any]:
        return {"username": accounts.USERNAME, "name": accounts.DISPLAY_NAME, "email": accounts.EMAIL}

    def whoami(self, req: Request) -> dict[str, Any]:
        session = self.sessions.get(req.bearer) or self.session(req)
        return {"user": session.user if session else None}
