"""Waiting on the page, never on the clock: DOM changes, in-flight requests, spinners.

An init script counts DOM mutations (``window.__ah``, shared with the collector) and in-flight
fetch/XHR requests (``window.__ahNet``) from the first byte of every document, so a wait can end the
moment the page is quiet instead of after a fixed sleep.
"""

from __future__ import annotations

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

QUIET_MS = 40  # a change must be followed by this much quiet
BUSY_MS = 1500  # a page that keeps changing this long is taken as it is

WATCH = """
(() => {
  if (window.__ahNet) return;
  const net = (window.__ahNet = { pending: 0, last: 0 });
  const done = () => { net.pending = Math.max(0, net.pending - 1); net.last = performance.now(); };
  const fetch = window.fetch;
  if (fetch) {
    window.fetch = function (...args) {
      net.pending += 1; net.last = performance.now();
      return fetch.apply(this, args).finally(done);
    };
  }
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...args) {
    net.pending += 1; net.last = performance.now();
    this.addEventListener("loadend", done, { once: true });
    return send.apply(this, args);
  };
  const state = (window.__ah = window.__ah || { count: 0, last: 0, next: 1, observed: new WeakSet() });
  if (!state.observer) {
    state.observer = new MutationObserver(() => { state.count += 1; state.last = performance.now(); });
    state.observed.add(document);
    state.observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  }
})();
"""

WAIT_FOR_CHANGE = """
([since, quiet, busy, timeout, document]) => new Promise((resolve) => {
  // Already another document (the click navigated before this started): its counter says nothing.
  if (document !== null && performance.timeOrigin !== document) { resolve("navigated"); return; }
  const s = window.__ah;
  if (!s) { resolve("none"); return; }
  const t0 = performance.now();
  let first = null;
  const tick = () => {
    const now = performance.now();
    if (s.count !== since) {
      first = first ?? now;
      // Quiet means no DOM change for a moment and no request in flight (a form sent by fetch).
      const net = window.__ahNet;
      if (now - Math.max(s.last, net ? net.last : 0) >= quiet && !(net && net.pending > 0)) { resolve("changed"); return; }
      if (now - first >= busy) { resolve("busy"); return; }
    }
    if (now - t0 >= timeout) { resolve("timeout"); return; }
    setTimeout(tick, 10);
  };
  tick();
})
"""

# Ready: loaded, no request in flight, no visible spinner or skeleton, and the DOM quiet for a moment.
WAIT_FOR_READY = """
([quiet, timeout]) => new Promise((resolve) => {
  const t0 = performance.now();
  const BUSY = "[aria-busy=true],[role=progressbar],[class*=spinner i],[class*=skeleton i],[class*=loading i],[class*=loader i]";
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 4 && r.height > 4 && getComputedStyle(el).visibility !== "hidden"; };
  const busy = () => {
    const net = window.__ahNet;
    if (net && net.pending > 0) return true;
    if (document.readyState !== "complete") return true;
    for (const el of document.querySelectorAll(BUSY)) if (shown(el)) return true;
    return false;
  };
  const tick = () => {
    const now = performance.now();
    const last = Math.max(window.__ah ? window.__ah.last : 0, window.__ahNet ? window.__ahNet.last : 0);
    if (!busy() && now - last >= quiet) { resolve("ready"); return; }
    if (now - t0 >= timeout) { resolve("timeout"); return; }
    setTimeout(tick, 15);
  };
  tick();
})
"""

MARK = "() => [window.__ah ? window.__ah.count : -1, performance.timeOrigin]"


async def mark(frame: Frame) -> tuple[int, float | None]:
    """The frame's change count and which document it is (its time origin), before an action."""
    try:
        count, origin = await frame.evaluate(MARK)
        return int(count), float(origin)
    except PlaywrightError:
        return -1, None


async def loaded(page: Page) -> None:
    try:
        await page.wait_for_load_state("domcontentloaded")
    except PlaywrightError:
        pass


async def settle(frame: Frame, page: Page, since: int, timeout: float, *, document: float | None = None) -> str:
    """Wait for the page to react to an action: a navigation, or DOM changes followed by quiet.
    ``document`` is the time origin of the document the action was taken on, when known."""
    try:
        outcome = await frame.evaluate(WAIT_FOR_CHANGE, [since, QUIET_MS, BUSY_MS, int(timeout * 1000), document])
    except PlaywrightError:
        outcome = "navigated"
    await loaded(page)
    return str(outcome)


async def ready(page: Page, timeout: float, quiet_ms: int = QUIET_MS) -> str:
    """Wait until the page has stopped loading and rendering ("ready"), or ``timeout`` seconds."""
    for _ in range(3):
        try:
            return str(await page.main_frame.evaluate(WAIT_FOR_READY, [quiet_ms, int(timeout * 1000)]))
        except PlaywrightError:
            await loaded(page)  # it navigated while waiting: wait on the new document
    return "navigated"
