// Collects what the login engine needs to read a page, in one pass over the document and its open
// shadow roots. Elements get a data-ah reference so Python can act on exactly what it classified.
// Returns plain JSON; never returns the value of any field (only whether it is empty).
// Decisions about words (is this an error, an entry, a skip button) are left to Python
// (classify.py, page_signals.py); this script reports layout facts only the browser knows:
// visibility, what covers what, which form a control belongs to, hidden menus and their triggers.
(() => {
  const state = (window.__ah = window.__ah || { count: 0, last: 0, next: 1, observed: new WeakSet() });
  if (!state.observer) {
    state.observer = new MutationObserver(() => { state.count += 1; state.last = performance.now(); });
  }
  const observe = (root) => {
    if (!state.observed.has(root)) {
      state.observed.add(root);
      state.observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    }
  };
  observe(document);

  const clean = (s, n = 160) => (s || "").replace(/\s+/g, " ").trim().slice(0, n);
  const attr = (el, name, n = 120) => clean(el.getAttribute && el.getAttribute(name), n);
  const ref = (el) => {
    let r = el.getAttribute("data-ah");
    if (!r) { r = String(state.next++); el.setAttribute("data-ah", r); }
    return r;
  };
  const visible = (el) => {
    if (!el || !el.isConnected) return false;
    const rects = el.getClientRects();
    if (!rects.length) return false;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.visibility === "collapse" || parseFloat(style.opacity) === 0) return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  const cssEscape = (s) => (window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/[^a-zA-Z0-9_-]/g, "\\$&"));
  const unique = (root, selector) => { try { return root.querySelectorAll(selector).length === 1; } catch (e) { return false; } };
  const randomLooking = (s) => /\d{4,}|[a-f0-9]{12,}|^:r|^ember\d|^react|^mui-/i.test(s);
  const durable = (el) => {
    const root = el.getRootNode();
    const tag = el.tagName.toLowerCase();
    if (el.id && !randomLooking(el.id) && unique(root, "#" + cssEscape(el.id))) return "#" + cssEscape(el.id);
    const name = el.getAttribute("name");
    if (name && !randomLooking(name)) {
      const s = `${tag}[name="${name.replace(/"/g, '\\"')}"]`;
      if (unique(root, s)) return s;
    }
    const ac = el.getAttribute("autocomplete");
    if (ac && tag === "input") {
      const s = `input[autocomplete="${ac}"]`;
      if (unique(root, s)) return s;
    }
    return "";
  };
  // The first non-empty of: rendered text, value, aria-label, title, an image's alt, raw text.
  // (Raw text can be whitespace around an icon, so each candidate is cleaned before it is tried.)
  const textOf = (el) => {
    const candidates = [() => el.innerText, () => (el.tagName === "INPUT" ? el.value : ""), () => el.getAttribute("aria-label"), () => el.title,
      () => { const img = el.querySelector && el.querySelector("img[alt]"); return img ? img.alt : ""; },
      () => { const t = el.querySelector && el.querySelector("svg title"); return t ? t.textContent : ""; }, () => el.textContent];
    for (const c of candidates) { const t = clean(c(), 120); if (t) return t; }
    return "";
  };
  const byId = (el, id) => { const root = el.getRootNode(); return (root.getElementById ? root.getElementById(id) : null) || document.getElementById(id); };
  const labelOf = (el) => {
    const parts = [];
    if (el.labels) for (const l of el.labels) parts.push(l.innerText || l.textContent);
    const lb = el.getAttribute("aria-labelledby");
    if (lb) for (const id of lb.split(/\s+/)) { const t = byId(el, id); if (t) parts.push(t.textContent); }
    if (!parts.length) {
      // Text just before the field: a preceding sibling, or the parent's preceding sibling.
      let prev = el.previousElementSibling;
      if (prev && !/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(prev.tagName)) parts.push(prev.innerText || prev.textContent);
      else if (el.parentElement && el.parentElement.children.length <= 3) {
        const p = el.parentElement.previousElementSibling;
        if (p && !p.querySelector("input,select,textarea")) parts.push(p.innerText || p.textContent);
      }
    }
    return clean(parts.join(" "), 120);
  };
  const contexts = new Map();  // one innerText per box, not one per field or link inside it
  const contextOf = (el) => {
    const box = el.closest("form,[role=dialog],dialog,section,fieldset,footer,header,nav,aside");
    if (!box) return { kind: "", text: "" };
    if (!contexts.has(box)) contexts.set(box, { kind: box.tagName.toLowerCase(), text: clean(box.innerText, 240) });
    return contexts.get(box);
  };
  // Where on the page: the header/navigation, the footer, or the rest.
  const zoneOf = (el) => {
    if (el.closest("footer,[role=contentinfo]")) return "footer";
    if (el.closest("header,nav,[role=banner],[role=navigation],[role=menubar]")) return "header";
    return "main";
  };

  // Visible text lines, without leading avatar initials ("A", "GL") that cards often start with.
  const lines = (el) => {
    const all = (el.innerText || "").split("\n").map((l) => l.trim()).filter(Boolean);
    while (all.length > 1 && all[0].length <= 2) all.shift();
    return all;
  };
  const groups = new Map();
  const formOf = (el) => el.form || el.closest("form");  // .form follows form="id" on inputs and buttons
  const groupOf = (el) => {
    const form = formOf(el);
    const key = form || el.closest("[role=dialog],dialog") || el.getRootNode().host || null;
    if (!key) return "doc";
    if (!groups.has(key)) groups.set(key, "g" + ref(key));
    return groups.get(key);
  };
  // Where a field's form sends it. A form without a usable action (none, "", "#…") posts to the
  // document itself or, far more often, is sent by script; so are javascript: actions and formless
  // fields. Those are "scripted": where the data goes is only known once it is sent.
  const formTarget = (el) => {
    const form = formOf(el);
    if (!form) return { action: location.href, scripted: true };
    const raw = (form.getAttribute("action") || "").trim();
    if (!raw || raw.startsWith("#")) return { action: location.href, scripted: true };
    if (/^javascript:/i.test(raw)) return { action: raw, scripted: true };
    return { action: form.action, scripted: false };
  };

  // A list row around a control (an MFA method, an account): li/tr/listitem/option, or a card that
  // is one of several alike siblings. Its label is the row's heading, label or first line.
  const ROW = "li,tr,[role=listitem],[role=option],[role=row],[role=radio]";
  const rowOf = (el) => {
    let a = el.parentElement;
    for (let depth = 0; a && a !== document.body && depth < 6; depth += 1, a = a.parentElement) {
      if (a.matches(ROW)) return a;
      const parent = a.parentElement;
      if (!parent || a.tagName !== "DIV") continue;
      const alike = [...parent.children].filter((s) => s !== a && s.tagName === a.tagName && s.className === a.className);
      if (alike.length && clean(a.innerText).length > clean(el.innerText).length + 2) return a;
    }
    return null;
  };
  const rowLabel = (row) => {
    const head = row.querySelector("h1,h2,h3,h4,h5,h6,[role=heading],label,strong,b,dt,[class*=title i],[class*=label i],[class*=name i],[class*=heading i]");
    const t = head && visible(head) ? clean(head.innerText, 80) : "";
    return t || clean(lines(row)[0] || "", 80);
  };

  const out = { url: location.href, title: document.title, inputs: [], clickables: [], errors: [], headings: [],
                text: "", captcha: false, iframes: [], logout: [], logout_hidden: [], account: [], menus: [], banners: [],
                busy: false, busy_reason: "" };
  let order = 0;
  const texts = [];
  const CAPTCHA = ".g-recaptcha,.h-captcha,.cf-turnstile,[data-sitekey],iframe[src*=recaptcha],iframe[src*=hcaptcha],iframe[src*=turnstile],iframe[title*=challenge i],textarea[name=g-recaptcha-response]";
  // Error containers, by how much their mere presence says: "alert"/"class" are errors unless their
  // words say otherwise; "live"/"toast"/"notice" regions also carry status and help, so Python
  // requires error words for those.
  const ERROR_SOURCES = [
    ["alert", "[role=alert],[role=alertdialog]"],
    ["class", ".error,.errors,.alert-danger,.alert-error,.flash-danger,.flash-error,.invalid-feedback,.o-form-error-container,.errorMessage-customizable,.inline-notice,.notice-error,[class*=error i],[class*=invalid i],[class*=danger i]"],
    ["live", "[aria-live=assertive],[aria-live=polite]"],
    ["toast", "[role=status],[class*=toast i],[class*=snackbar i],[class*=notification i]"],
    ["notice", ".alert,[class*=alert i],[class*=notice i],[class*=message i],.flash"],
  ];
  const CLICK = "button,input[type=submit],input[type=button],input[type=image],a[href],a[tabindex]:not([tabindex=\"-1\"]),[role=button],[role=link],[role=menuitem],[role=option],[role=radio],[role=tab],[onclick],summary";
  const LOGOUT = /\b(sign|log)\s?-?\s?out\b|\blogout\b|\bsignout\b/i;
  const ENTRYISH = /\b(sign|log)\s?-?\s?(in|on)\b|\blogin\b|\bsignin\b/i;
  const BUSY = "[aria-busy=true],[role=progressbar],[class*=spinner i],[class*=skeleton i],[class*=loading i],[class*=loader i]";
  // Cookie and consent banners (not OAuth consent: that is a page, these sit on top of one).
  const BANNER = "#onetrust-consent-sdk,#onetrust-banner-sdk,#CybotCookiebotDialog,#usercentrics-root,#didomi-host,#truste-consent-track,.qc-cmp2-container,.fc-consent-root,.cc-window,[id*=cookie i],[class*=cookie i],[id*=consent i],[class*=consent i],[id*=gdpr i],[class*=gdpr i],[aria-modal=true],[role=dialog],[role=alertdialog],dialog[open]";
  const COOKIE_WORDS = /cookie|gdpr|tracking technolog|(our|third.party|advertising) (partners|vendors)|we value your privacy|your privacy choices/i;
  const BANNER_BUTTON = /accept|reject|decline|refuse|agree|allow|got it|\bok\b|okay|necessary|essential|consent|manage|settings|preferences|customi[sz]e|understand/i;
  const banners = [];
  const bannerOf = (el) => { for (const b of banners) if (b.el.contains(el) || (el.getRootNode().host && b.el.contains(el.getRootNode().host))) return b.ref; return ""; };
  const isBanner = (el) => {
    if (!(visible(el) || [...el.children].some(visible)) || bannerOf(el)) return false;  // a wrapper of fixed boxes has no size
    if (!COOKIE_WORDS.test(el.innerText || "")) return false;
    if (el.querySelector("input[type=password],input[type=email],input:not([type]),input[type=text],textarea")) return false;  // a login modal mentioning cookies
    return [...el.querySelectorAll("button,a,[role=button],input[type=button],input[type=submit]")].some((b) => BANNER_BUTTON.test(textOf(b)));
  };

  let rows = 0;
  const clickData = (el, isVisible) => {
    const tag = el.tagName;
    const zone = zoneOf(el);
    const ctx = contextOf(el);
    const row = zone === "main" && rows++ < 150 ? rowOf(el) : null;
    const own = lines(el);
    return {
      ref: ref(el), order, tag: tag.toLowerCase(), type: (el.getAttribute("type") || "").toLowerCase(), text: textOf(el),
      aria: attr(el, "aria-label"), title: attr(el, "title"), role: el.getAttribute("role") || "", href: el.getAttribute("href") || "",
      id: el.id || "", name: el.getAttribute("name") || "",
      cls: clean(typeof el.className === "string" ? el.className : "", 80), group: groupOf(el), durable: durable(el),
      in_form: !!formOf(el), context: ctx.text, context_kind: ctx.kind, zone,
      first: clean(own[0], 100), rest: clean(own.slice(1).join(" "), 160),
      disabled: !!el.disabled || el.getAttribute("aria-disabled") === "true", visible: isVisible,
      haspopup: (el.getAttribute("aria-haspopup") || "").toLowerCase(), expanded: el.getAttribute("aria-expanded") || "",
      has_img: !!(el.querySelector && el.querySelector("img,svg,[class*=avatar i],[class*=icon i]")),
      formaction: el.hasAttribute("formaction") ? el.formAction : "",
      row_label: row ? rowLabel(row) : "", row_text: row ? clean(row.innerText, 200) : "", banner: bannerOf(el),
    };
  };

  // The visible control that reveals a hidden menu item: the summary of its <details>, a control
  // naming the menu (aria-controls, data-target, href="#id"), a menu-ish button next to it, or the
  // small visible box it hangs from (a CSS hover menu).
  const NOT_MENU = /language|\blang\b|english|region|country|currency|search|cart|basket|bag|wishlist|notification/i;
  const MENU_WORDS = /menu|hamburger|burger|navbar-toggler|nav-toggle|drawer|account|user|profile|person|avatar|more/i;
  const menuTrigger = (el) => {
    const root = el.getRootNode();
    for (let a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      if (a.tagName === "DETAILS") {
        const s = a.querySelector(":scope > summary");
        if (s && visible(s)) return s;
      }
      if (a.id) {
        const id = cssEscape(a.id);
        let t = null;
        try { t = root.querySelector(`[aria-controls~="${id}"],[aria-owns~="${id}"],[data-target="#${id}"],[data-bs-target="#${id}"],[href="#${id}"]`); } catch (e) { t = null; }
        if (t && visible(t)) return t;
      }
      if (!visible(a)) continue;
      const controls = [...a.querySelectorAll("[aria-haspopup],[aria-expanded],summary,button,[role=button],a[href],label")]
        .filter((c) => visible(c) && !c.contains(el) && !NOT_MENU.test(`${textOf(c)} ${c.getAttribute("aria-label") || ""} ${typeof c.className === "string" ? c.className : ""}`));
      const flagged = controls.find((c) => c.hasAttribute("aria-haspopup") || c.hasAttribute("aria-expanded") || c.tagName === "SUMMARY");
      if (flagged) return flagged;
      const named = controls.find((c) => MENU_WORDS.test(`${textOf(c)} ${c.getAttribute("aria-label") || ""} ${typeof c.className === "string" ? c.className : ""} ${c.id}`));
      if (named) return named;
      const r = a.getBoundingClientRect();
      if (r.width < innerWidth * 0.5 && r.height < 200) return a;  // hover container
      return null;
    }
    return null;
  };

  const ownText = (el) => {
    // The element's rendered text without the text of buttons inside it (a "×" close button), and
    // what is left once its links are taken out too (nothing, for "Forgot password?").
    let t = el.innerText || "";
    for (const b of el.querySelectorAll("button,[role=button]")) { const bt = b.innerText || ""; if (bt) t = t.replace(bt, " "); }
    let rest = t;
    for (const a of el.querySelectorAll("a")) { const at = a.innerText || ""; if (at) rest = rest.replace(at, " "); }
    return { text: clean(t, 300), rest: clean(rest, 300) };
  };
  const addError = (source, el) => {
    if (!visible(el) || bannerOf(el)) return;
    if (el.querySelector("input:not([type=hidden]),select,textarea,form")) return;  // a wrapper around the form, not a message
    const { text, rest } = ownText(el);
    if (!text || text.length < 4 || rest.replace(/[\s|·•,.;:!?()-]/g, "").length < 4) return;  // empty, or only links
    // Shown before the last submission, and unchanged since: the site's answer to an earlier attempt
    // (a toast that lingers), not to this one. The engine marks them as it submits (run.MARK_ERRORS).
    if (el.getAttribute("data-ah-seen") === text) return;
    errorElements.push([el, text]);
    out.errors.push({ text, source, long: (el.innerText || "").length > 300 });
  };
  const errorElements = (state.errors = []);
  const busy = (reason) => { if (!out.busy) { out.busy = true; out.busy_reason = reason; } };

  const visit = (root) => {
    observe(root);
    for (const el of root.querySelectorAll("*")) {
      order += 1;
      const tag = el.tagName;
      // Banners, errors and busy indicators are all named by class, id, role or aria attributes.
      const marked = el.attributes.length > (el.hasAttribute("data-ah") ? 1 : 0) || tag === "DIALOG";
      if (marked && !bannerOf(el) && el.matches(BANNER) && isBanner(el)) banners.push({ el, ref: ref(el) });
      if (el.shadowRoot) visit(el.shadowRoot);
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") {
        const type = (el.getAttribute("type") || (tag === "INPUT" ? "text" : tag.toLowerCase())).toLowerCase();
        if (["hidden", "submit", "button", "image", "reset", "file"].includes(type)) { if (type === "submit" || type === "button" || type === "image") {/* handled below */} else continue; }
        else {
          if (el.getAttribute("aria-invalid") === "true") {
            for (const key of ["aria-errormessage", "aria-describedby"]) {
              for (const id of (el.getAttribute(key) || "").split(/\s+/).filter(Boolean)) {
                const t = byId(el, id);
                if (t) addError("invalid", t);
              }
            }
          }
          if (!visible(el) && type !== "checkbox" && type !== "radio") continue;
          const ctx = contextOf(el);
          const target = formTarget(el);
          out.inputs.push({
            ref: ref(el), order, tag: tag.toLowerCase(), type, name: el.getAttribute("name") || "", id: el.id || "",
            autocomplete: (el.getAttribute("autocomplete") || "").toLowerCase(), placeholder: clean(el.getAttribute("placeholder"), 80),
            aria: clean(el.getAttribute("aria-label"), 80), label: labelOf(el), inputmode: (el.getAttribute("inputmode") || "").toLowerCase(),
            maxlength: el.maxLength > 0 && el.maxLength < 1000 ? el.maxLength : null, required: !!el.required,
            readonly: !!el.readOnly, disabled: !!el.disabled, visible: visible(el), empty: !el.value,
            checked: !!el.checked, pattern: el.getAttribute("pattern") || "", group: groupOf(el), action: target.action,
            scripted: target.scripted, context: ctx.text, context_kind: ctx.kind, durable: durable(el),
            shadow: el.getRootNode() !== document, banner: bannerOf(el),
          });
          continue;
        }
      }
      if (el.matches(CLICK)) {
        const isVisible = visible(el);
        const text = textOf(el);
        // Shown, or kept in a closed menu: a hidden one is weaker evidence (any page can carry markup).
        if (LOGOUT.test(text) || LOGOUT.test(el.getAttribute("href") || "")) (isVisible ? out.logout : out.logout_hidden).push(text || el.getAttribute("href"));
        if (!isVisible) {
          // A "Sign in" inside a closed menu: report it with the control that opens the menu.
          const submit = formOf(el) && (el.type === "submit" || el.type === "image");  // a hidden form's submit, not a menu item
          if (!submit && ENTRYISH.test(`${text} ${el.getAttribute("aria-label") || ""}`) && out.menus.length < 10 && !bannerOf(el)) {
            const trigger = menuTrigger(el);
            if (trigger) out.menus.push({ entry: text, trigger: clickData(trigger, true) });
          }
          continue;
        }
        const data = clickData(el, isVisible);
        out.clickables.push(data);
        if (out.account.length < 30 && !data.banner && (data.zone === "header" || data.haspopup || data.expanded || tag === "SUMMARY")) {
          out.account.push({ kind: "control", text: data.text, aria: data.aria, title: data.title, zone: data.zone, haspopup: !!data.haspopup || data.expanded !== "" || tag === "SUMMARY", has_img: data.has_img, href: data.href });
        }
        continue;
      }
      if (tag === "IMG" && el.alt && out.account.length < 30 && visible(el)) {
        const r = el.getBoundingClientRect();
        const near = [el, el.parentElement, el.parentElement && el.parentElement.parentElement].filter(Boolean)
          .map((a) => `${typeof a.className === "string" ? a.className : ""} ${a.id}`).join(" ");
        out.account.push({ kind: "img", alt: clean(el.alt, 80), zone: zoneOf(el), avatar: /avatar|profile|user|account/i.test(near),
          logo: /logo|brand/i.test(near) || !!el.closest("a[href='/']"),
          haspopup: !!el.closest("[aria-haspopup],[aria-expanded],summary"), small: r.width <= 64 && r.height <= 64 });
      }
      if (/^H[1-4]$/.test(tag) || el.getAttribute("role") === "heading" || tag === "LEGEND") {
        if (visible(el) && !bannerOf(el)) out.headings.push(clean(el.innerText, 160));
      }
      if (!marked) continue;
      for (const [source, selector] of ERROR_SOURCES) {
        if (el.matches(selector)) { addError(source, el); break; }
      }
      if (el.matches(CAPTCHA) && (visible(el) || tag === "TEXTAREA")) out.captcha = true;
      if (!out.busy && el.matches(BUSY) && visible(el)) {
        const now = parseFloat(el.getAttribute("aria-valuenow"));
        const max = parseFloat(el.getAttribute("aria-valuemax") || "100");
        if (!(el.getAttribute("role") === "progressbar" && !isNaN(now) && now >= max)) busy("indicator");
      }
    }
  };
  visit(document);

  // A banner blocks when it is modal, or when it (or a backdrop) is what lies at the centre of the
  // viewport or over the visible fields and submit buttons.
  const deepHit = (x, y) => {
    let hit = document.elementFromPoint(x, y);
    while (hit && hit.shadowRoot) { const inner = hit.shadowRoot.elementFromPoint(x, y); if (!inner || inner === hit) break; hit = inner; }
    return hit;
  };
  // A backdrop: a fixed or absolute box over most of the viewport holding no control of the page
  // (a full-screen layout root holds the page's own fields and links, so it does not count).
  const overlay = (hit) => {
    for (let a = hit; a && a !== document.body && a !== document.documentElement; a = a.parentElement || (a.getRootNode() && a.getRootNode().host)) {
      const pos = getComputedStyle(a).position;
      if (pos === "fixed" || pos === "absolute") {
        const r = a.getBoundingClientRect();
        if (r.width >= innerWidth * 0.8 && r.height >= innerHeight * 0.8) {
          return ![...a.querySelectorAll("a[href],button,input,select,textarea,[role=button]")].some((c) => !bannerOf(c) && visible(c));
        }
      }
    }
    return false;
  };
  const inside = (b, hit) => b.contains(hit) || (hit.getRootNode().host && b.contains(hit.getRootNode().host));
  const targets = [];
  const refSel = (r) => `[data-ah="${r}"]`;
  for (const d of [...out.inputs.filter((i) => i.visible && !i.banner && !["checkbox", "radio"].includes(i.type)),
                   ...out.clickables.filter((c) => !c.banner && (c.type === "submit" || (c.tag === "button" && c.in_form)))].slice(0, 8)) {
    const el = document.querySelector(refSel(d.ref)) || [...document.querySelectorAll("*")].map((h) => h.shadowRoot && h.shadowRoot.querySelector(refSel(d.ref))).find(Boolean);
    if (el) targets.push(el);
  }
  for (const b of banners) {
    let blocking = b.el.getAttribute("aria-modal") === "true" || !!b.el.querySelector("[aria-modal=true]");
    try { blocking = blocking || b.el.matches(":modal"); } catch (e) { /* old engines */ }
    const centre = deepHit(innerWidth / 2, innerHeight / 2);
    if (!blocking && centre && (inside(b.el, centre) || overlay(centre))) blocking = true;
    for (const t of targets) {
      if (blocking) break;
      const r = t.getBoundingClientRect();
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) continue;
      const hit = deepHit(x, y);
      if (hit && !t.contains(hit) && !hit.contains(t) && !(t.labels && [...t.labels].some((l) => l.contains(hit))) && (inside(b.el, hit) || overlay(hit))) blocking = true;
    }
    out.banners.push({ ref: b.ref, blocking, text: clean(b.el.innerText, 1000) });
  }

  if (document.readyState !== "complete") busy("document");
  if (window.__ahNet && window.__ahNet.pending > 0) busy("network");
  for (const host of document.querySelectorAll("*")) if (host.shadowRoot) texts.push(host.shadowRoot.textContent || "");
  out.text = clean((document.body ? document.body.innerText : "") + " " + texts.join(" "), 4000);
  out.mutations = state.count;
  return out;
})()
