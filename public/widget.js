// @ts-check
/*
 * Vouch chat widget: registers the visitor's identity with the community's identity route and shows
 * a small chat launcher with the identity's state. No framework, no build step, no dependencies.
 *
 *   <script>
 *     window._chatq = window._chatq || [];
 *     _chatq.push(["init", { community: "acme-shop" }]);
 *     _chatq.push(["setSignedIdentity", "<JWT signed by your server>"]);
 *     _chatq.push(["onTokenRefresh", function () {
 *       return fetch("/chat-token").then(function (r) { return r.text(); });
 *     }]);
 *   </script>
 *   <script async src="https://vouch.example.com/widget.js"></script>
 *
 * Commands (pushed before or after this script loads, run in order):
 *   ["init", { community, launcher?: boolean, refreshBefore?: seconds, anonymous?: boolean }]
 *   ["setIdentity", { screenname?, firstname?, lastname?, email?, company?, avatar_url?, extra_values? }]
 *   ["setSignedIdentity", jwt]
 *   ["onTokenRefresh", () => jwt | Promise<jwt>]   asked `refreshBefore` (default 300) s before `exp`, and
 *                                                  once when the token was revoked (token_revoked)
 *   ["onChange", (state) => void]                  called now and on every change
 *   ["logout"]                                      back to the browser's anonymous identity
 *
 * Opening the chat re-checks a verified identity's token. A token the community revoked ("sign out
 * everywhere"): the widget forgets the verified identity, asks onTokenRefresh once for a newer token,
 * and otherwise goes on anonymously; onChange is told at each step (error code token_revoked).
 *
 * Only the automated UUID of an anonymous visitor is kept (localStorage); tokens stay in memory.
 * Identity data is rendered with textContent only.
 */
(function () {
  "use strict";

  /** @typedef {{ code: string, message: string }} VouchError */
  /** @typedef {"pending" | "anonymous" | "identified" | "verified" | "expired" | "error"} Status */
  /**
   * @typedef {{ status: Status, uuid: string | null, verified: boolean, kid: string | null,
   *   fields: Record<string, string>, customFields: Record<string, unknown>, expiresAt: number | null,
   *   skipped: { target: string, reason: string }[], error: VouchError | null }} State
   */
  /**
   * @typedef {{ kind: "signed", token: string, refresh?: boolean, afterRevocation?: boolean }
   *   | { kind: "unsigned", identity: Record<string, unknown> }} Request
   */

  var EXPIRED_MESSAGE = "Your session has expired. Please refresh the page.";
  var TICK_MS = 30000;
  var RETRY_DELAYS_MS = [1000, 3000, 9000];
  /** A 429 is waited out (Retry-After, at most MAX_RETRY_AFTER_S each time) up to this many times in a row. */
  var MAX_RATE_LIMITED_WAITS = 5;
  var MAX_RETRY_AFTER_S = 120;

  var w = /** @type {any} */ (window);
  if (w._chatq && w._chatq.vouch) return; // loaded twice: the first copy is already running

  var script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  var base = script && script.src ? new URL(".", script.src) : new URL("/", location.href);

  var options = {
    community: (script && script.dataset.community) || "",
    launcher: true,
    anonymous: true,
    refreshBefore: 300,
  };

  /** Nobody yet: the state before the first answer, and what a revoked identity is reset to. @returns {State} */
  function nobody() {
    return {
      status: "pending",
      uuid: null,
      verified: false,
      kid: null,
      fields: {},
      customFields: {},
      expiresAt: null,
      skipped: [],
      error: null,
    };
  }
  var state = nobody();
  /** @type {((state: State) => void)[]} */
  var listeners = [];
  /** @type {null | (() => unknown)} */
  var refreshToken = null;

  /** @param {VouchError} err @param {boolean} [warn] */
  function report(err, warn) {
    (warn ? console.warn : console.error)("[Vouch] " + err.code + ": " + err.message);
  }

  // --- the anonymous visitor's automated UUID, per community, in this browser -------------------
  var memoryUuid = /** @type {string | null} */ (null);
  function storageKey() {
    return "vouch:" + options.community + ":uuid";
  }
  function storedUuid() {
    try {
      return localStorage.getItem(storageKey()) || memoryUuid;
    } catch {
      return memoryUuid;
    }
  }
  function storeUuid(/** @type {string} */ uuid) {
    memoryUuid = uuid;
    try {
      localStorage.setItem(storageKey(), uuid);
    } catch {
      /* storage disabled: memory only */
    }
  }

  // --- talking to the identity route: latest request wins ------------------------------------------
  /** @type {Request | null} */
  var desired = null;
  var generation = 0;
  var running = false;

  function want(/** @type {Request} */ request) {
    desired = request;
    generation++;
    if (!running) void run();
  }

  function endpoint() {
    return new URL("api/v1/communities/" + encodeURIComponent(options.community) + "/identity", base).href;
  }

  /** @returns {Promise<{ ok: true, body: any } | { ok: false, error: VouchError, reported?: boolean }>} */
  async function send(/** @type {Request} */ request, /** @type {number} */ gen) {
    var body = request.kind === "signed" ? { signed_identity: request.token } : { identity: request.identity };
    var limitedWaits = 0;
    for (var attempt = 0; ; attempt++) {
      /** @type {VouchError} */
      var error;
      try {
        var res = await fetch(endpoint(), {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
          credentials: "omit",
          mode: "cors",
        });
        var json = await res.json().catch(function () {
          return null;
        });
        if (res.ok && json && json.identity) return { ok: true, body: json };
        error =
          json && json.error && typeof json.error.code === "string"
            ? { code: json.error.code, message: String(json.error.message) }
            : {
                code: "http_" + res.status,
                message: "Unexpected answer from the identity route (HTTP " + res.status + ").",
              };
        if (res.status === 429 && limitedWaits < MAX_RATE_LIMITED_WAITS) {
          // Rate limited: wait as long as the server says (within bounds), then retry without a word.
          limitedWaits++;
          var seconds = Number(res.headers.get("Retry-After"));
          var wait = Math.min(Math.max(isFinite(seconds) && seconds > 0 ? seconds : 1, 1), MAX_RETRY_AFTER_S) * 1000;
          await new Promise(function (resolve) {
            setTimeout(resolve, wait);
          });
          if (gen !== generation) return { ok: false, error: error, reported: true }; // superseded
          attempt--;
          continue;
        }
        if (res.status !== 503) return { ok: false, error: error };
      } catch (e) {
        // A CORS refusal also lands here: the browser hides the answer from scripts.
        error = {
          code: "network_error",
          message:
            "The identity route could not be reached (" +
            (e instanceof Error ? e.message : String(e)) +
            "). If this page's origin is not in the community's allowed origins, the browser blocks the call.",
        };
      }
      var delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined) return { ok: false, error: error, reported: true };
      if (attempt === 0) {
        // Say so at once (a blocked origin never heals by itself), then retry in the background.
        report({ code: error.code, message: error.message + " Retrying." });
        if (state.status === "pending") update({ status: "error", error: error });
      }
      await new Promise(function (resolve) {
        setTimeout(resolve, delay);
      });
      // superseded: run() sends the newer one
      if (gen !== generation) return { ok: false, error: error, reported: true };
    }
  }

  async function run() {
    running = true;
    try {
      for (;;) {
        var gen = generation;
        var request = /** @type {Request} */ (desired);
        var result = await send(request, gen);
        if (gen !== generation) continue; // a newer identity was set meanwhile: send that one instead
        if (result.ok) applyIdentity(request, result.body);
        else applyError(request, result.error, !!result.reported);
        return;
      }
    } finally {
      running = false;
    }
  }

  function applyIdentity(/** @type {Request} */ request, /** @type {any} */ body) {
    var id = body.identity;
    if (id.automated_uuid) storeUuid(id.uuid);
    var fields = id.fields || {};
    var custom = id.custom_fields || {};
    var identified =
      Object.keys(fields).length > 0 || Object.keys(custom).length > 0 || Object.keys(id.extra_values || {}).length > 0;
    update({
      status: id.verified ? "verified" : identified ? "identified" : "anonymous",
      uuid: id.uuid,
      verified: !!id.verified,
      kid: id.kid || null,
      fields: fields,
      customFields: custom,
      expiresAt: request.kind === "signed" && typeof body.expires_at === "number" ? body.expires_at : null,
      skipped: body.skipped || [],
      error: null,
    });
    (body.skipped || []).forEach(function (/** @type {{ target: string, reason: string }} */ s) {
      report({ code: "value_skipped", message: s.target + " was not stored (" + s.reason + ")" }, true);
    });
    refreshing = false;
    refreshWarned = false;
    // A fresh token that does not last longer than the old one must not make us ask again at once.
    nextRefreshAt = Date.now() + TICK_MS;
    tick();
  }

  /** @param {Request} request @param {VouchError} error @param {boolean} reported */
  function applyError(request, error, reported) {
    if (!reported) report(error);
    refreshing = false;
    if (request.kind === "signed" && error.code === "token_revoked") return signedOut(request, error);
    if (state.status === "verified" && request.kind === "signed") {
      // The identity established by the current token still holds until its exp. After a failed
      // refresh, ask again on a later tick.
      if (request.refresh) nextRefreshAt = Date.now() + TICK_MS;
      update({ error: error });
    } else {
      update({ status: "error", verified: false, expiresAt: null, error: error });
    }
    tick();
  }

  /**
   * The community revoked this token: forget the verified identity at once, ask the page once for a newer
   * token, and otherwise go on as the browser's anonymous visitor (when anonymous visitors are allowed).
   * @param {Request & { kind: "signed" }} request @param {VouchError} error
   */
  function signedOut(request, error) {
    clearTimeout(timer);
    update(Object.assign(nobody(), { status: /** @type {Status} */ ("error"), error: error }));
    var anonymously = function () {
      if (options.anonymous) want(anonymousRequest());
    };
    if (!refreshToken || request.afterRevocation) return anonymously();
    Promise.resolve()
      .then(refreshToken)
      .then(function (token) {
        if (typeof token !== "string" || token.split(".").length !== 3) throw new Error("the callback gave no token");
        if (token.trim() === request.token) throw new Error("the callback gave the revoked token again");
        want({ kind: "signed", token: token.trim(), afterRevocation: true });
      })
      .catch(function (e) {
        report({ code: "token_refresh_failed", message: e instanceof Error ? e.message : String(e) });
        anonymously();
      });
  }

  /** Opening the chat re-checks a verified identity: a revocation made since is noticed then. */
  function recheck() {
    if (state.status === "verified" && desired && desired.kind === "signed" && !running)
      want({ kind: "signed", token: desired.token });
  }

  // --- token lifetime: refresh before exp, expire at exp ---------------------------------------
  var timer = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
  var refreshing = false;
  var refreshWarned = false;
  var nextRefreshAt = 0;

  function tick() {
    clearTimeout(timer);
    if (state.status !== "verified" || state.expiresAt === null) return;
    var now = Date.now();
    var expiresAt = state.expiresAt * 1000;
    if (now >= expiresAt) {
      update({ status: "expired", verified: false, error: { code: "session_expired", message: EXPIRED_MESSAGE } });
      report(
        { code: "session_expired", message: "the signed identity's token expired before a fresh one was given" },
        true,
      );
      return;
    }
    var refreshAt = Math.max(expiresAt - options.refreshBefore * 1000, nextRefreshAt);
    if (now >= refreshAt && !refreshing) {
      if (refreshToken) {
        refreshing = true;
        Promise.resolve()
          .then(refreshToken)
          .then(function (token) {
            if (typeof token !== "string" || token.split(".").length !== 3)
              throw new Error("the callback gave no token");
            want({ kind: "signed", token: token.trim(), refresh: true });
          })
          .catch(function (e) {
            refreshing = false;
            nextRefreshAt = Date.now() + TICK_MS;
            report({ code: "token_refresh_failed", message: e instanceof Error ? e.message : String(e) });
            tick();
          });
      } else if (!refreshWarned) {
        refreshWarned = true;
        report(
          { code: "token_expiring", message: "the token expires soon and no onTokenRefresh callback is set" },
          true,
        );
      }
    }
    var next = now < refreshAt ? refreshAt : expiresAt;
    timer = setTimeout(tick, Math.max(0, Math.min(next - now, TICK_MS)));
  }
  // A sleeping laptop does not run timers: look again when the page comes back.
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) tick();
  });

  // --- commands --------------------------------------------------------------------------------
  var identityGiven = false;
  var initialised = false;
  var loaded = false;

  function anonymousRequest() {
    var uuid = storedUuid();
    return { kind: /** @type {const} */ ("unsigned"), identity: uuid ? { uuid: uuid } : {} };
  }

  /** @type {Record<string, (arg: any) => void>} */
  var commands = {
    init: function (/** @type {any} */ opts) {
      if (!opts || typeof opts !== "object") throw new Error("init takes an options object");
      if (typeof opts.community === "string") options.community = opts.community;
      if (typeof opts.launcher === "boolean") options.launcher = opts.launcher;
      if (typeof opts.anonymous === "boolean") options.anonymous = opts.anonymous;
      if (typeof opts.refreshBefore === "number" && opts.refreshBefore >= 0) options.refreshBefore = opts.refreshBefore;
      if (loaded) start();
    },
    setIdentity: function (/** @type {any} */ identity) {
      if (!identity || typeof identity !== "object" || Array.isArray(identity))
        throw new Error("setIdentity takes an object");
      var copy = Object.assign({}, identity);
      if (copy.uuid === undefined) {
        var uuid = storedUuid();
        if (uuid) copy.uuid = uuid; // the same visitor as before, now with details
      }
      identityGiven = true;
      whenReady(function () {
        want({ kind: "unsigned", identity: copy });
      });
    },
    setSignedIdentity: function (/** @type {unknown} */ token) {
      if (typeof token !== "string" || !token.trim()) throw new Error("setSignedIdentity takes the JWT as a string");
      identityGiven = true;
      nextRefreshAt = 0;
      whenReady(function () {
        want({ kind: "signed", token: token.trim() });
      });
    },
    onTokenRefresh: function (/** @type {unknown} */ fn) {
      if (typeof fn !== "function") throw new Error("onTokenRefresh takes a function");
      refreshToken = /** @type {() => unknown} */ (fn);
      tick();
    },
    onChange: function (/** @type {unknown} */ fn) {
      if (typeof fn !== "function") throw new Error("onChange takes a function");
      listeners.push(/** @type {(state: State) => void} */ (fn));
      notify(/** @type {(state: State) => void} */ (fn));
    },
    logout: function () {
      identityGiven = true;
      clearTimeout(timer);
      whenReady(function () {
        want(anonymousRequest());
      });
    },
  };

  /** @type {(() => void)[]} */
  var deferred = [];
  function whenReady(/** @type {() => void} */ fn) {
    if (initialised) fn();
    else deferred.push(fn);
  }

  function exec(/** @type {unknown} */ item) {
    try {
      if (
        !Array.isArray(item) ||
        typeof item[0] !== "string" ||
        !Object.prototype.hasOwnProperty.call(commands, item[0])
      ) {
        throw new Error(
          "unknown command " +
            JSON.stringify(Array.isArray(item) ? item[0] : item) +
            '; expected ["' +
            Object.keys(commands).join('" | "') +
            '", …]',
        );
      }
      /** @type {(arg: unknown) => void} */ (commands[item[0]])(item[1]);
    } catch (e) {
      report({ code: "bad_command", message: e instanceof Error ? e.message : String(e) });
    }
  }

  // --- state and the launcher --------------------------------------------------------------------
  function snapshot() {
    return /** @type {State} */ (JSON.parse(JSON.stringify(state)));
  }
  function notify(/** @type {(state: State) => void} */ fn) {
    try {
      fn(snapshot());
    } catch (e) {
      console.error(e);
    }
  }
  function update(/** @type {Partial<State>} */ patch) {
    Object.assign(state, patch);
    render();
    listeners.forEach(notify);
  }

  var LABELS = {
    pending: "Connecting…",
    anonymous: "Anonymous",
    identified: "Identified",
    verified: "Verified",
    expired: "Session expired",
    error: "Not connected",
  };

  /** @type {null | { host: HTMLElement, button: HTMLButtonElement, badge: HTMLElement, panel: HTMLElement,
   *   who: HTMLElement, detail: HTMLElement, notice: HTMLElement }} */
  var ui = null;

  function el(/** @type {string} */ tag, /** @type {string} */ cls, /** @type {string} */ text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  var CSS =
    ":host{all:initial;position:fixed;right:20px;bottom:20px;z-index:2147483000;font:14px/1.4 system-ui,sans-serif;color:#0f172a}" +
    ".launcher{display:flex;align-items:center;gap:8px;border:0;border-radius:999px;padding:10px 16px;background:#1d4ed8;color:#fff;font:inherit;font-weight:600;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}" +
    ".launcher:focus-visible,.close:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}" +
    ".badge{border-radius:999px;padding:2px 8px;background:#e2e8f0;color:#0f172a;font-size:12px;font-weight:600}" +
    "[data-status=verified] .badge{background:#dcfce7;color:#14532d}[data-status=identified] .badge{background:#dbeafe;color:#1e3a8a}" +
    "[data-status=expired] .badge,[data-status=error] .badge{background:#fee2e2;color:#7f1d1d}" +
    ".panel{position:absolute;right:0;bottom:56px;width:280px;border:1px solid #cbd5e1;border-radius:12px;background:#fff;padding:16px;box-shadow:0 8px 24px rgba(0,0,0,.2)}" +
    ".panel[hidden],.notice[hidden]{display:none}.panel h2{margin:0 0 8px;font-size:16px}.panel p{margin:4px 0}" +
    ".detail{color:#475569;font-size:12px;word-break:break-all}" +
    ".close{position:absolute;top:8px;right:8px;border:0;background:none;font-size:18px;cursor:pointer;color:#334155}" +
    ".notice{position:absolute;right:0;bottom:56px;width:260px;border-radius:10px;background:#7f1d1d;color:#fff;padding:10px 12px}";

  function mount() {
    if (ui || !options.launcher) return;
    var host = el("div", "", "");
    host.id = "vouch-chat";
    var root = host.attachShadow({ mode: "open" });

    var wrap = el("div", "wrap", "");
    var panel = el("div", "panel", "");
    panel.id = "vouch-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-labelledby", "vouch-title");
    panel.hidden = true;
    var title = el("h2", "", "Chat with us");
    title.id = "vouch-title";
    var close = /** @type {HTMLButtonElement} */ (el("button", "close", "×"));
    close.type = "button";
    close.setAttribute("aria-label", "Close chat");
    var who = el("p", "who", "");
    var detail = el("p", "detail", "");
    panel.append(close, title, who, detail);
    var notice = el("p", "notice", "");
    notice.setAttribute("role", "status");
    notice.hidden = true;
    var button = /** @type {HTMLButtonElement} */ (el("button", "launcher", ""));
    button.type = "button";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", "vouch-panel");
    var badge = el("span", "badge", "");
    button.append(el("span", "", "Chat"), badge);
    wrap.append(panel, notice, button);
    // A constructed stylesheet is not subject to the site's CSP style-src; <style> is the fallback.
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
      root.append(wrap);
    } catch {
      root.append(el("style", "", CSS), wrap);
    }

    function setOpen(/** @type {boolean} */ open) {
      panel.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      if (open) notice.hidden = true;
      else render();
    }
    button.addEventListener("click", function () {
      if (panel.hidden) recheck();
      setOpen(panel.hidden);
    });
    close.addEventListener("click", function () {
      setOpen(false);
      button.focus();
    });
    panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        setOpen(false);
        button.focus();
      }
    });
    document.body.appendChild(host);
    ui = { host: host, button: button, badge: badge, panel: panel, who: who, detail: detail, notice: notice };
    render();
  }

  function displayName() {
    var f = state.fields;
    var name = [f.firstname, f.lastname].filter(Boolean).join(" ");
    return name || f.screenname || f.email || "";
  }

  function render() {
    if (!ui) return;
    var wrap = /** @type {HTMLElement} */ (ui.button.parentElement);
    wrap.dataset.status = state.status;
    ui.host.dataset.status = state.status;
    // A community that requires signed identities refuses visitors the site has not signed in.
    var signInNeeded = state.status === "error" && !!state.error && state.error.code === "signed_identity_required";
    ui.badge.textContent = signInNeeded ? "Sign in to chat" : LABELS[state.status];
    var name = displayName();
    ui.who.textContent =
      state.status === "expired"
        ? EXPIRED_MESSAGE
        : signInNeeded
          ? "Please sign in on this site to chat with us."
          : state.status === "error"
            ? "Chat could not identify you (" + (state.error ? state.error.code : "error") + ")."
            : state.status === "pending"
              ? "Connecting…"
              : name
                ? "You are chatting as " + name + (state.verified ? " (verified)." : ".")
                : "You are chatting anonymously.";
    ui.detail.textContent = state.uuid ? "Visitor ID: " + state.uuid : "";
    var expired = state.status === "expired";
    ui.notice.textContent = expired ? EXPIRED_MESSAGE : "";
    ui.notice.hidden = !expired || !ui.panel.hidden;
  }

  // --- start -----------------------------------------------------------------------------------
  var queued = Array.isArray(w._chatq) ? w._chatq.slice() : [];
  w._chatq = {
    vouch: true,
    push: function () {
      for (var i = 0; i < arguments.length; i++) exec(arguments[i]);
      return 0;
    },
  };
  queued.forEach(exec);

  function start() {
    if (initialised || !options.community) return;
    initialised = true;
    deferred.splice(0).forEach(function (fn) {
      fn();
    });
    // Calls pushed right after this script ran (same task) still count as the page's own identity.
    setTimeout(function () {
      if (!identityGiven && options.anonymous) want(anonymousRequest());
    }, 0);
  }
  loaded = true;
  start();
  if (!initialised) {
    update({
      status: "error",
      error: {
        code: "community_missing",
        message: 'no community: push ["init", { community: "<slug>" }] or set data-community on the script tag',
      },
    });
    report(/** @type {VouchError} */ (state.error));
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
