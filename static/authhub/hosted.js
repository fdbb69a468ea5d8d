// The hosted login page. It trades its one-time code for a token, follows the login over a WebSocket
// (falling back to polling every 2 s), shows whatever the login asks, and submits the answers.
// Typed values are sent once and cleared from the page; nothing typed is ever shown again.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("hosted-config").textContent);
  const $ = (id) => document.getElementById(id);
  const api = `/auth/connections/${encodeURIComponent(config.connection)}`;
  let token = null;
  let lastKey = null;
  let busy = false;
  let finished = false;
  let pollTimer = null;

  const TEXT = {
    DISCOVERING: "Opening the sign-in page…",
    SUBMITTING: "Signing you in…",
    AWAITING_EXTERNAL_ACTION: "Waiting for your approval…",
  };
  const FAILURES = {
    credentials_invalid: "The site did not accept those details.",
    captcha_blocked: "The site asked for a CAPTCHA, which can't be solved here.",
    unsupported_auth_method: "This site uses a sign-in method that isn't supported here.",
    login_form_not_found: "We couldn't find the sign-in form on this site.",
    domain_not_allowed: "The sign-in went to a site it is not allowed to use, so it was stopped to protect you.",
    max_attempts_reached: "Too many attempts. Please try again later.",
  };

  function setStatus(text, spinning) {
    const status = $("status");
    status.textContent = "";
    if (!text) return;
    if (spinning) {
      const s = document.createElement("span");
      s.className = "spinner";
      s.setAttribute("aria-hidden", "true");
      status.appendChild(s);
    }
    const t = document.createElement("span");
    t.textContent = text;
    status.appendChild(t);
  }

  function showError(text) {
    const box = $("error");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function clearPanels() {
    $("fields-form").hidden = true;
    $("fields-form").textContent = "";
    $("choices").hidden = true;
    $("choices").textContent = "";
  }

  async function call(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: Object.assign({ "Content-Type": "application/json" }, token ? { Authorization: `Bearer ${token}` } : {}),
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
    });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      const error = new Error((data && data.message) || `Request failed (${response.status})`);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function inputFor(field, index) {
    const id = `field-${index}`;
    const wrap = document.createElement("div");
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = field.label || field.ref.replace(/_/g, " ");
    if (field.hint) {
      const hint = document.createElement("span");
      hint.className = "hint";
      hint.textContent = field.hint;
      label.appendChild(hint);
    }
    const input = document.createElement("input");
    input.id = id;
    input.name = field.id;
    input.required = field.required !== false;
    if (field.type === "password") { input.type = "password"; input.autocomplete = "current-password"; }
    else if (field.type === "code" || field.type === "totp_code") {
      input.inputMode = "numeric"; input.autocomplete = "one-time-code"; input.type = "text";
    } else if (field.input_mode === "email" || field.ref === "email") { input.type = "email"; input.autocomplete = "username"; }
    else { input.type = "text"; input.autocomplete = field.type === "identifier" ? "username" : "off"; }
    if (field.reason === "rejected") input.setAttribute("aria-invalid", "true");
    wrap.append(label, input);
    return wrap;
  }

  function renderFields(state) {
    const form = $("fields-form");
    const fields = state.fields || [];
    fields.forEach((field, index) => form.appendChild(inputFor(field, index)));
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "primary";
    button.textContent = "Continue";
    form.appendChild(button);
    form.onsubmit = async (event) => {
      event.preventDefault();
      const values = {};
      for (const input of form.querySelectorAll("input")) {
        if (input.required && !input.value) { input.focus(); showError("Please fill in every field."); return; }
        values[input.name] = input.value;
      }
      for (const input of form.querySelectorAll("input")) input.value = "";
      await submit({ interaction_id: state.interaction_id, field_values: values });
    };
    form.hidden = fields.length === 0;
    const first = form.querySelector("input");
    if (first) first.focus();
  }

  function renderChoices(state) {
    const box = $("choices");
    const choices = state.choices || [];
    if (!choices.length) return;
    const heading = document.createElement("h2");
    const kinds = new Set(choices.map((c) => c.type));
    heading.textContent = kinds.has("mfa_method") ? "How do you want to verify it's you?"
      : kinds.has("account") ? "Choose an account" : (state.fields || []).length ? "Or continue with" : "Continue with";
    box.appendChild(heading);
    for (const choice of choices) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "choice";
      button.textContent = choice.label;
      if (choice.description) {
        const small = document.createElement("small");
        small.textContent = choice.description;
        button.appendChild(small);
      }
      button.onclick = () => submit({ interaction_id: state.interaction_id, selected_choice_id: choice.id });
      box.appendChild(button);
    }
    box.hidden = false;
    if ((state.fields || []).length === 0) box.querySelector("button").focus();
  }

  async function submit(body) {
    if (busy) return;
    busy = true;
    showError("");
    for (const el of document.querySelectorAll("button, input")) el.disabled = true;
    setStatus(TEXT.SUBMITTING, true);
    try {
      await call("POST", `${api}/submit`, body);
    } catch (error) {
      showError(error.message);
      for (const el of document.querySelectorAll("button, input")) el.disabled = false;
    } finally {
      busy = false;
    }
  }

  function redirect(url, params) {
    if (!url) return;
    const target = new URL(url);
    for (const [k, v] of Object.entries(params)) if (v) target.searchParams.set(k, v);
    window.setTimeout(() => window.location.assign(target.toString()), 1200);
  }

  function finish(state) {
    finished = true;
    if (pollTimer) window.clearInterval(pollTimer);
    clearPanels();
    setStatus("");
    const done = $("done");
    done.textContent = "";
    const icon = document.createElement("div");
    const title = document.createElement("h2");
    const text = document.createElement("p");
    if (state.flow_status === "SUCCESS") {
      icon.className = "icon icon-ok"; icon.textContent = "✓";
      title.textContent = "You're signed in";
      text.textContent = `You can close this window. The app can now use ${config.domain} for you.`;
      redirect(config.successUrl, { profile_name: config.profile, domain: config.domain });
    } else {
      icon.className = "icon icon-warn"; icon.textContent = "!";
      const expired = state.flow_status === "EXPIRED";
      title.textContent = expired ? "This sign-in expired" : state.flow_status === "CANCELED" ? "Sign-in canceled" : "Sign-in didn't work";
      text.textContent = state.error_message && state.flow_status === "FAILED"
        ? (FAILURES[state.error_code] || state.error_message)
        : expired ? "It took too long. Ask the app for a new link and try again." : "Ask the app for a new link to try again.";
      if (state.website_error) showError(`${config.domain} said: ${state.website_error}`);
      redirect(config.errorUrl, { code: state.error_code, message: state.error_message || title.textContent });
    }
    icon.setAttribute("aria-hidden", "true");
    done.append(icon, title, text);
    done.hidden = false;
    title.tabIndex = -1;
    title.focus();
  }

  function render(state) {
    if (finished) return;
    const key = [state.flow_status, state.flow_step, state.interaction_id, state.website_error, state.progress_message].join("|");
    if (key === lastKey) return;
    lastKey = key;
    if (["SUCCESS", "FAILED", "EXPIRED", "CANCELED"].includes(state.flow_status)) { finish(state); return; }
    clearPanels();
    if (state.flow_step === "AWAITING_INPUT") {
      setStatus("");
      showError(state.website_error ? `${config.domain} said: ${state.website_error}` : "");
      renderFields(state);
      renderChoices(state);
    } else if (state.flow_step === "AWAITING_EXTERNAL_ACTION") {
      showError("");
      setStatus(state.external_action_message || TEXT.AWAITING_EXTERNAL_ACTION, true);
    } else {
      setStatus(state.progress_message && state.flow_step === "DISCOVERING" ? `${state.progress_message}…`.replace(/……$/, "…") : TEXT[state.flow_step] || "Working…", true);
    }
  }

  function poll() {
    if (pollTimer || finished) return;
    const tick = async () => {
      try { render(await call("GET", api)); } catch (error) {
        if (error.status === 401 || error.status === 410) { finish({ flow_status: "EXPIRED" }); }
      }
    };
    tick();
    pollTimer = window.setInterval(tick, 2000);
  }

  function follow() {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    let socket;
    try {
      socket = new WebSocket(`${scheme}://${window.location.host}/ws${api}?token=${encodeURIComponent(token)}`);
    } catch (e) { poll(); return; }
    socket.onmessage = (event) => render(JSON.parse(event.data));
    socket.onclose = () => { if (!finished) poll(); };
  }

  async function start() {
    setStatus("Connecting…", true);
    try {
      token = (await call("POST", `${api}/exchange`, { code: config.code })).jwt;
      if (!token) throw new Error("No session");
      window.history.replaceState(null, "", window.location.pathname);  // the code is spent: drop it from the URL
    } catch (error) {
      finish({ flow_status: "EXPIRED", error_message: error.message });
      return;
    }
    follow();
  }

  start();
})();
