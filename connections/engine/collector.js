// Collects what the login engine needs to read a page, in one pass over the document and its open
// shadow roots. Elements get a data-ah reference so Python can act on exactly what it classified.
// Returns plain JSON; never returns the value of any field (only whether it is empty).
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
  const ref = (el) => {
    let r = el.getAttribute("data-ah");
    if (!r) { r = String(state.next++); el.setAttribute("data-ah", r); }
    return r;
  };
  const visible = (el) => {
    if (!el.isConnected) return false;
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
  const textOf = (el) => clean(el.innerText || el.textContent || el.value || el.getAttribute("aria-label") || el.title || (el.querySelector && el.querySelector("img[alt]") ? el.querySelector("img[alt]").alt : ""), 120);
  const labelOf = (el) => {
    const parts = [];
    if (el.labels) for (const l of el.labels) parts.push(l.innerText || l.textContent);
    const lb = el.getAttribute("aria-labelledby");
    if (lb) for (const id of lb.split(/\s+/)) { const t = el.getRootNode().getElementById ? el.getRootNode().getElementById(id) : document.getElementById(id); if (t) parts.push(t.textContent); }
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
  const contextOf = (el) => {
    const box = el.closest("form,[role=dialog],dialog,section,fieldset,footer,header,nav,aside");
    return box ? { kind: box.tagName.toLowerCase(), text: clean(box.innerText, 240) } : { kind: "", text: "" };
  };

  // Visible text lines, without leading avatar initials ("A", "GL") that cards often start with.
  const lines = (el) => {
    const all = (el.innerText || "").split("\n").map((l) => l.trim()).filter(Boolean);
    while (all.length > 1 && all[0].length <= 2) all.shift();
    return all;
  };
  const groups = new Map();
  const groupOf = (el) => {
    const form = el.form || el.closest("form");
    const key = form || el.closest("[role=dialog],dialog") || el.getRootNode().host || null;
    if (!key) return "doc";
    if (!groups.has(key)) groups.set(key, "g" + ref(key));
    return groups.get(key);
  };
  const formAction = (el) => {
    const form = el.form || el.closest("form");
    if (!form) return null;
    return form.action || null;
  };

  const out = { url: location.href, title: document.title, inputs: [], clickables: [], errors: [], headings: [],
                text: "", captcha: false, iframes: [], logout: [] };
  let order = 0;
  const texts = [];
  const CAPTCHA = ".g-recaptcha,.h-captcha,.cf-turnstile,[data-sitekey],iframe[src*=recaptcha],iframe[src*=hcaptcha],iframe[src*=turnstile],iframe[title*=challenge i],textarea[name=g-recaptcha-response]";
  const ERROR = "[role=alert],[aria-live=assertive],[aria-live=polite],.error,.errors,.alert-danger,.flash-danger,.flash-error,[class*=error i],[class*=invalid i],[class*=danger i]";
  const CLICK = "button,input[type=submit],input[type=button],input[type=image],a[href],[role=button],[role=link],[role=menuitem],[role=option],[role=radio],[role=tab],[onclick],summary";
  const LOGOUT = /\b(sign|log)\s?-?\s?out\b|\blogout\b|\bsignout\b/i;

  const visit = (root) => {
    observe(root);
    for (const el of root.querySelectorAll("*")) {
      order += 1;
      if (el.shadowRoot) visit(el.shadowRoot);
      const tag = el.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") {
        const type = (el.getAttribute("type") || (tag === "INPUT" ? "text" : tag.toLowerCase())).toLowerCase();
        if (["hidden", "submit", "button", "image", "reset", "file"].includes(type)) { if (type === "submit" || type === "button" || type === "image") {/* handled below */} else continue; }
        else {
          if (!visible(el) && type !== "checkbox" && type !== "radio") continue;
          const ctx = contextOf(el);
          out.inputs.push({
            ref: ref(el), order, tag: tag.toLowerCase(), type, name: el.getAttribute("name") || "", id: el.id || "",
            autocomplete: (el.getAttribute("autocomplete") || "").toLowerCase(), placeholder: clean(el.getAttribute("placeholder"), 80),
            aria: clean(el.getAttribute("aria-label"), 80), label: labelOf(el), inputmode: (el.getAttribute("inputmode") || "").toLowerCase(),
            maxlength: el.maxLength > 0 && el.maxLength < 1000 ? el.maxLength : null, required: !!el.required,
            readonly: !!el.readOnly, disabled: !!el.disabled, visible: visible(el), empty: !el.value,
            checked: !!el.checked, pattern: el.getAttribute("pattern") || "", group: groupOf(el), action: formAction(el),
            context: ctx.text, context_kind: ctx.kind, durable: durable(el), shadow: el.getRootNode() !== document,
          });
          continue;
        }
      }
      if (el.matches(CLICK)) {
        const isVisible = visible(el);
        const text = textOf(el);
        if (LOGOUT.test(text) || LOGOUT.test(el.getAttribute("href") || "")) out.logout.push(text || el.getAttribute("href"));
        if (!isVisible || el.disabled) continue;
        out.clickables.push({
          ref: ref(el), order, tag: tag.toLowerCase(), type: (el.getAttribute("type") || "").toLowerCase(), text,
          role: el.getAttribute("role") || "", href: el.getAttribute("href") || "", id: el.id || "", name: el.getAttribute("name") || "",
          cls: clean(typeof el.className === "string" ? el.className : "", 80), group: groupOf(el), durable: durable(el),
          in_form: !!el.closest("form"), context: contextOf(el).text, context_kind: contextOf(el).kind,
          first: clean(lines(el)[0], 100), rest: clean(lines(el).slice(1).join(" "), 160),
        });
        continue;
      }
      if (/^H[1-4]$/.test(tag) || el.getAttribute("role") === "heading" || tag === "LEGEND") {
        if (visible(el)) out.headings.push(clean(el.innerText, 160));
      }
      if (el.matches(ERROR) && visible(el)) {
        const t = clean(el.innerText, 300);
        if (t && t.length >= 4 && !el.querySelector("input,button,form")) out.errors.push(t);
      }
      if (el.matches(CAPTCHA) && (visible(el) || tag === "TEXTAREA")) out.captcha = true;
    }
  };
  visit(document);
  for (const host of document.querySelectorAll("*")) if (host.shadowRoot) texts.push(host.shadowRoot.textContent || "");
  out.text = clean((document.body ? document.body.innerText : "") + " " + texts.join(" "), 4000);
  out.mutations = state.count;
  return out;
})()
