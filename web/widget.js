/*
 * ShopGuide chat widget. One tag embeds it on any page:
 *
 *   <script src="https://assistant.example.com/webhooks/web/widget.js" data-language="en"></script>
 *
 * or with a config object set before that tag (the object wins over data-* attributes):
 *
 *   <script>window.ShopGuide = {server: "https://assistant.example.com", language: "zh",
 *                               colours: {accent: "#8a1538", accentText: "#fff"}};</script>
 *
 * Options: server (origin of the assistant; default: where widget.js came from), language ("en", "zh",
 * "auto": ?lang= or the browser's), mode ("launcher": floating button and panel; "inline": fills
 * `container`; "manual": no automatic mount), container (CSS selector), colours {accent, accentText,
 * background, surface, text, muted, userBubble, userText, botBubble}, theme ("" or "kiosk"), persist
 * ("local", "session", "none"), storageKey, senderPrefix, title, welcome, filePicker (true/false).
 *
 * API: ShopGuide.mount(element, options) -> chat {send, sendPhoto, reset, setLanguage, open, close, on,
 * sender, liked, hasConversation}; ShopGuide.renderCards(items, options); ShopGuide.open()/close().
 * Plain ES2020, no build step, no dependencies; the UI lives in a shadow root so the page's CSS stays out.
 */
(() => {
  "use strict";
  if (window.ShopGuide && typeof window.ShopGuide.mount === "function") return; // loaded twice

  const MAX_SIDE = 1024; // photos are downscaled to this longest side before upload
  const THUMB_SIDE = 240; // the preview kept in the saved conversation
  const MAX_ENTRIES = 80;
  const TEXT = {
    en: {
      title: "Shopping guide", subtitle: "Ask in your own words, or send a photo",
      open: "Ask our shopping guide", close: "Close chat", log: "Conversation", input: "Message",
      placeholder: "e.g. a red summer dress under 50", send: "Send", photo: "Send a photo", camera: "Take a photo",
      typing: "The shopping guide is typing…", uploading: "Uploading photo…", yourPhoto: "Your photo",
      drop: "Drop a photo to find similar items", cards: "Suggested items", suggestions: "Suggested answers",
      like: "Like", dislike: "Not this", more: "More like this", sizes: "Sizes", view: "View item",
      likeSaid: "I like #{n}: {title}", dislikeSaid: "Not #{n}: {title}", moreSaid: "More like #{n}: {title}",
      stale: "From an earlier answer", retry: "Try again", notSent: "Not sent",
      welcome: "Hi! Tell me what you are looking for, or send a photo of something you like.",
      e400: "Sorry, I could not send that. Please try again.",
      e413: "That photo is too large. Please choose a smaller one.",
      e415: "That file doesn't look like a photo. Please send a JPEG, PNG or WebP picture.",
      e429: "You're going a little fast. Please wait a moment and try again.",
      e500: "Something went wrong on our side. Please try again in a moment.",
      e0: "I can't reach the shopping guide right now. Please check your connection and try again.",
    },
    zh: {
      title: "购物向导", subtitle: "用你自己的话说，或者发一张照片",
      open: "问问购物向导", close: "关闭聊天", log: "对话", input: "消息",
      placeholder: "例如：50以内的红色连衣裙", send: "发送", photo: "发送照片", camera: "拍照",
      typing: "购物向导正在输入…", uploading: "正在上传照片…", yourPhoto: "你的照片",
      drop: "松开即可上传照片，查找相似商品", cards: "推荐商品", suggestions: "建议回复",
      like: "喜欢", dislike: "不要这个", more: "更多类似的", sizes: "尺码", view: "查看商品",
      likeSaid: "我喜欢{n}号：{title}", dislikeSaid: "不要{n}号：{title}", moreSaid: "更多像{n}号的：{title}",
      stale: "之前的推荐", retry: "重试", notSent: "未发送",
      welcome: "你好！告诉我你想找什么，或者发一张你喜欢的衣服的照片。",
      e400: "抱歉，没能发送，请再试一次。",
      e413: "照片太大了，请换一张小一点的。",
      e415: "这个文件不像是照片，请发送JPEG、PNG或WebP格式的图片。",
      e429: "发送得有点快，请稍等片刻再试。",
      e500: "我们这边出了点问题，请稍后再试。",
      e0: "暂时连接不上购物向导，请检查网络后重试。",
    },
  };
  const ICONS = {
    chat: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>',
    close: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18"/></svg>',
    photo: '<svg viewBox="0 0 24 24" aria-hidden="true"><rect x="3" y="5" width="18" height="14" rx="2"/><circle cx="9" cy="10" r="2"/><path d="M21 16l-5-5-8 8"/></svg>',
    camera: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 8h3l2-3h6l2 3h3a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V9a1 1 0 0 1 1-1z"/><circle cx="12" cy="13" r="4"/></svg>',
    send: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 20l18-8L3 4v6l12 2-12 2z"/></svg>',
    heart: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 21s-8-5.2-8-11a4.5 4.5 0 0 1 8-2.8A4.5 4.5 0 0 1 20 10c0 5.8-8 11-8 11z"/></svg>',
    no: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M7 7l10 10M17 7L7 17"/></svg>',
  };
  const COLOUR_VARS = {
    accent: "--sg-accent", accentText: "--sg-accent-text", background: "--sg-bg", surface: "--sg-surface",
    text: "--sg-text", muted: "--sg-muted", userBubble: "--sg-user", userText: "--sg-user-text",
    botBubble: "--sg-bot",
  };
  const NUMBERED_LINE = /^\s*\d+\.\s/;

  // -- small helpers ----------------------------------------------------------------------------------
  function h(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value == null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key === "icon") node.insertAdjacentHTML("afterbegin", ICONS[value]);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    node.append(...children.filter((child) => child != null && child !== ""));
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, key) => (values[key] != null ? String(values[key]) : ""));
  }

  function resolveLanguage(language) {
    if (language === "en" || language === "zh") return language;
    const asked = new URLSearchParams(window.location.search).get("lang");
    if (asked === "en" || asked === "zh") return asked;
    return (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
  }

  function newSender(prefix) {
    const bytes = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs a secure context
    return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  }

  function safeLink(url, base) {
    try {
      const link = new URL(url, base);
      return link.protocol === "http:" || link.protocol === "https:" ? link.href : null;
    } catch (_) {
      return null;
    }
  }

  function formatPrice(price, currency, language) {
    if (price == null) return "";
    try {
      return new Intl.NumberFormat(language === "zh" ? "zh-CN" : "en", { style: "currency", currency }).format(price);
    } catch (_) {
      return `${Number(price).toFixed(2)} ${currency || ""}`.trim();
    }
  }

  /** One POST; resolves {status, data} (status 0: no answer), never rejects. */
  function post(url, body, onProgress) {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.timeout = 120000;
      if (!(body instanceof FormData)) xhr.setRequestHeader("Content-Type", "application/json");
      if (onProgress) {
        xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
        xhr.upload.onload = () => onProgress(1);
      }
      xhr.onload = () => {
        let data = null;
        try {
          data = JSON.parse(xhr.responseText);
        } catch (_) {
          data = null;
        }
        resolve({ status: xhr.status, data });
      };
      xhr.onerror = xhr.ontimeout = () => resolve({ status: 0, data: null });
      xhr.send(body instanceof FormData ? body : JSON.stringify(body));
    });
  }

  function canvasBlob(canvas, quality) {
    return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
  }

  function drawScaled(source, width, height, side) {
    const scale = Math.min(1, side / Math.max(width, height));
    const canvas = h("canvas", { width: Math.round(width * scale), height: Math.round(height * scale) });
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // transparent PNGs become white, not black, in a JPEG
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    return canvas;
  }

  /**
   * A photo (File, Blob, video frame or canvas) as a JPEG of at most MAX_SIDE px and a small preview.
   * A file the browser cannot decode (an iPhone HEIC in Chrome, or not a photo at all) goes up as it
   * is: the server sniffs it and answers 415 when it is not a photo.
   */
  async function preparePhoto(source) {
    let bitmap = null;
    try {
      bitmap = source instanceof HTMLCanvasElement ? source : await createImageBitmap(source, { imageOrientation: "from-image" });
    } catch (_) {
      return { blob: source, thumb: null, name: source.name || "photo" };
    }
    const full = drawScaled(bitmap, bitmap.width, bitmap.height, MAX_SIDE);
    const blob = await canvasBlob(full, 0.86);
    const thumb = drawScaled(full, full.width, full.height, THUMB_SIDE).toDataURL("image/jpeg", 0.7);
    if (bitmap.close) bitmap.close();
    return { blob: blob || source, thumb, name: "photo.jpg" };
  }

  class Storage {
    constructor(kind, key) {
      this.prefix = `shopguide.${key}.`;
      try {
        this.area = kind === "none" ? null : kind === "session" ? window.sessionStorage : window.localStorage;
      } catch (_) {
        this.area = null; // storage blocked (privacy settings): the conversation lives in the page only
      }
    }

    get(name) {
      try {
        return this.area ? JSON.parse(this.area.getItem(this.prefix + name)) : null;
      } catch (_) {
        return null;
      }
    }

    set(name, value) {
      if (!this.area) return;
      try {
        this.area.setItem(this.prefix + name, JSON.stringify(value));
      } catch (_) {
        if (Array.isArray(value.entries) && value.entries.length > 4) {
          this.set(name, { ...value, entries: value.entries.slice(Math.floor(value.entries.length / 2)) });
        }
      }
    }
  }

  // -- product cards (also used by the shortlist page) ----------------------------------------------
  function renderCards(items, options = {}) {
    const language = resolveLanguage(options.language || "en");
    const t = (key) => TEXT[language][key];
    const base = options.base || BASE;
    const list = h("ul", { class: "sg-cards", "aria-label": t("cards") });
    items.forEach((item, index) => {
      const number = index + 1;
      const title = String(item.title || "");
      const link = item.url ? safeLink(item.url, base) : null;
      const image = item.image_url ? safeLink(item.image_url, base) : null;
      const sizes = Array.isArray(item.sizes) && item.sizes.length ? `${t("sizes")}: ${item.sizes.join(", ")}` : "";
      const heading = h("h3", { class: "sg-card-title" },
        h("span", { class: "sg-num", text: `${number}` }),
        link ? h("a", { href: link, target: "_blank", rel: "noopener", text: title }) : title);
      const article = h("article", { class: "sg-card-body" },
        image ? h("img", { src: image, alt: title, loading: "lazy", decoding: "async" }) : h("div", { class: "sg-noimg" }),
        heading,
        h("p", { class: "sg-price", text: formatPrice(item.price, item.currency, language) }),
        item.explanation ? h("p", { class: "sg-why", text: item.explanation }) : null,
        sizes ? h("p", { class: "sg-sizes", text: sizes }) : null);
      const card = h("li", { class: "sg-card", "data-item-id": item.id, "data-number": number }, article);
      if (options.actions) article.append(cardActions(item, number, title, t, options));
      list.append(card);
    });
    return list;
  }

  function cardActions(item, number, title, t, options) {
    const liked = options.liked && options.liked.has(String(item.id));
    const act = (kind) => (event) => options.onAction(kind, item, number, title, event);
    return h("div", { class: "sg-card-actions" },
      h("button", { type: "button", class: "sg-like", "aria-pressed": liked ? "true" : "false", icon: "heart",
        "aria-label": `${t("like")}: ${number}. ${title}`, title: t("like"), onclick: act("like") }),
      h("button", { type: "button", class: "sg-dislike", icon: "no",
        "aria-label": `${t("dislike")}: ${number}. ${title}`, title: t("dislike"), onclick: act("dislike") }),
      h("button", { type: "button", class: "sg-more", text: t("more"),
        "aria-label": `${t("more")}: ${number}. ${title}`, onclick: act("more") }));
  }

  // -- the chat ---------------------------------------------------------------------------------------
  class Chat {
    constructor(container, options) {
      this.options = options;
      this.language = resolveLanguage(options.language);
      this.base = options.base;
      this.inline = Boolean(container);
      this.storage = new Storage(options.persist, options.storageKey);
      this.sender = this.storage.get("sender") || newSender(options.senderPrefix);
      this.storage.set("sender", this.sender);
      const saved = this.storage.get("state");
      this.state = saved && saved.sender === this.sender ? saved : { sender: this.sender, entries: [], liked: [], open: false };
      this.liked = new Set(this.state.liked || []);
      this.listeners = {};
      this.labels = [];
      this.queue = Promise.resolve();
      this.pending = 0;
      this.retries = new Map();
      this.build(container);
      this.restore();
    }

    t(key) {
      return TEXT[this.language][key] || TEXT.en[key] || key;
    }

    label(node, attr, key) {
      this.labels.push([node, attr, key]);
      if (attr === "text") node.textContent = this.t(key);
      else node.setAttribute(attr, this.t(key));
      return node;
    }

    on(event, listener) {
      (this.listeners[event] = this.listeners[event] || []).push(listener);
      return this;
    }

    emit(event, detail) {
      for (const listener of this.listeners[event] || []) listener(detail);
    }

    url(path) {
      return new URL(path, this.base).href;
    }

    // -- building -------------------------------------------------------------------------------
    build(container) {
      const host = h("div", { class: "shopguide-host", "data-shopguide": "" });
      host.style.cssText = this.inline ? "display:block;height:100%;" : "";
      host.style.visibility = "hidden"; // until the stylesheet is in
      (container || document.body).append(host);
      this.host = host;
      const shadow = host.attachShadow({ mode: "open" });
      const sheet = h("link", { rel: "stylesheet", href: this.url("static/widget.css") });
      sheet.addEventListener("load", () => (host.style.visibility = ""));
      sheet.addEventListener("error", () => (host.style.visibility = ""));
      const modes = `sg-root sg-mode-${this.inline ? "inline" : "launcher"} sg-theme-${this.options.theme || "plain"}`;
      this.root = h("div", { class: modes, lang: this.language });
      for (const [name, value] of Object.entries(this.options.colours || {})) {
        if (COLOUR_VARS[name] && typeof value === "string") this.root.style.setProperty(COLOUR_VARS[name], value);
      }
      shadow.append(sheet, this.root);
      const title = h("h2", { class: "sg-title" });
      if (this.options.title) title.textContent = this.options.title;
      else this.label(title, "text", "title");
      this.panel = h("section", { class: "sg-panel", id: "sg-panel" },
        h("header", { class: "sg-header" },
          h("div", {}, title, this.label(h("p", { class: "sg-subtitle" }), "text", "subtitle")),
          this.inline ? null : this.label(h("button", { type: "button", class: "sg-icon sg-close", icon: "close",
            onclick: () => this.close() }), "aria-label", "close")),
        this.log = this.label(h("ol", { class: "sg-log", role: "log", "aria-live": "polite", tabindex: "0" }),
          "aria-label", "log"),
        this.typing = h("div", { class: "sg-typing", role: "status", hidden: true },
          h("span", { class: "sg-dots", "aria-hidden": "true" }, h("i"), h("i"), h("i")),
          this.label(h("span", { class: "sg-vh" }), "text", "typing")),
        this.composer(),
        this.dropZone = this.label(h("div", { class: "sg-drop", hidden: true, "aria-hidden": "true" }), "text", "drop"));
      this.label(this.panel, "aria-label", "title");
      if (!this.inline) {
        this.launcher = h("button", { type: "button", class: "sg-launcher", icon: "chat", "aria-expanded": "false",
          "aria-controls": "sg-panel", onclick: () => (this.panel.hidden ? this.open() : this.close()) },
        this.label(h("span", { class: "sg-launcher-text" }), "text", "open"));
        this.panel.hidden = true;
        this.root.append(this.launcher);
        this.panel.addEventListener("keydown", (event) => event.key === "Escape" && this.close(true));
      }
      this.root.append(this.panel);
      this.listenForPhotos();
    }

    composer() {
      this.input = h("input", { id: "sg-text", type: "text", autocomplete: "off", enterkeyhint: "send", maxlength: "1000" });
      this.label(this.input, "placeholder", "placeholder");
      this.fileInput = h("input", { type: "file", accept: "image/*", hidden: true, class: "sg-file",
        onchange: (event) => this.pickedFile(event.target) });
      this.cameraInput = h("input", { type: "file", accept: "image/*", capture: "environment", hidden: true,
        class: "sg-capture", onchange: (event) => this.pickedFile(event.target) });
      const phone = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
      const picker = this.options.filePicker !== false;
      return h("form", { class: "sg-composer", onsubmit: (event) => this.submitted(event) },
        picker ? this.label(h("button", { type: "button", class: "sg-icon sg-photo", icon: "photo",
          onclick: () => this.fileInput.click() }), "aria-label", "photo") : null,
        picker && phone ? this.label(h("button", { type: "button", class: "sg-icon sg-camera", icon: "camera",
          onclick: () => this.cameraInput.click() }), "aria-label", "camera") : null,
        this.fileInput, this.cameraInput,
        this.label(h("label", { for: "sg-text", class: "sg-vh" }), "text", "input"),
        this.input,
        this.label(h("button", { type: "submit", class: "sg-icon sg-send", icon: "send" }), "aria-label", "send"));
    }

    listenForPhotos() {
      const hasFiles = (event) => Array.from(event.dataTransfer?.types || []).includes("Files");
      let depth = 0;
      this.panel.addEventListener("dragenter", (event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        depth += 1;
        this.dropZone.hidden = false;
      });
      this.panel.addEventListener("dragover", (event) => hasFiles(event) && event.preventDefault());
      this.panel.addEventListener("dragleave", () => {
        depth = Math.max(0, depth - 1);
        if (!depth) this.dropZone.hidden = true;
      });
      this.panel.addEventListener("drop", (event) => {
        event.preventDefault();
        depth = 0;
        this.dropZone.hidden = true;
        const file = Array.from(event.dataTransfer?.files || []).find((f) => !f.type || f.type.startsWith("image/"));
        if (file) this.sendPhoto(file);
      });
      this.panel.addEventListener("paste", (event) => {
        const file = Array.from(event.clipboardData?.files || []).find((f) => f.type.startsWith("image/"));
        if (!file) return;
        event.preventDefault();
        this.sendPhoto(file);
      });
    }

    submitted(event) {
      event.preventDefault();
      const text = this.input.value.trim();
      this.input.value = "";
      if (text) this.send(text);
    }

    pickedFile(input) {
      const file = input.files && input.files[0];
      input.value = "";
      if (file) this.sendPhoto(file);
    }

    // -- open, close, language ---------------------------------------------------------------------
    open(focus = true) {
      if (this.inline) return;
      this.panel.hidden = false;
      this.root.classList.add("sg-open");
      this.launcher.setAttribute("aria-expanded", "true");
      this.state.open = true;
      this.save();
      this.scrollDown();
      if (focus) this.input.focus();
    }

    close(returnFocus = true) {
      if (this.inline) return;
      this.panel.hidden = true;
      this.root.classList.remove("sg-open");
      this.launcher.setAttribute("aria-expanded", "false");
      this.state.open = false;
      this.save();
      if (returnFocus) this.launcher.focus();
    }

    setLanguage(language) {
      this.language = resolveLanguage(language);
      this.root.setAttribute("lang", this.language);
      this.labels = this.labels.filter(([node]) => node.isConnected);
      for (const [node, attr, key] of this.labels) {
        if (attr === "text") node.textContent = this.t(key);
        else node.setAttribute(attr, this.t(key));
      }
      this.welcome();
    }

    // -- the conversation ----------------------------------------------------------------------------
    get hasConversation() {
      return this.state.entries.length > 0;
    }

    /** Send a message; `shown` is what the shopper sees in their bubble (a button's title). */
    send(text, shown) {
      const message = String(text || "").trim();
      if (!message) return Promise.resolve();
      const entry = this.add({ type: "user", text: shown || message });
      const metadata = message.startsWith("/") ? {} : { language: this.language };
      return this.turn(() => post(this.url("webhook"), { sender: this.sender, message, metadata }), entry,
        () => this.send(text, shown));
    }

    /** Send a photo (File, Blob or canvas), with the words in the input box, if any. */
    async sendPhoto(source, words) {
      const said = (words != null ? words : this.input.value).trim();
      if (words == null) this.input.value = "";
      this.emit("activity");
      const photo = await preparePhoto(source);
      const entry = this.add({ type: "photo", thumb: photo.thumb, name: photo.name, text: said });
      const progress = entry.node.querySelector("progress");
      const upload = () => {
        const form = new FormData();
        form.append("sender", this.sender);
        if (said) form.append("message", said);
        form.append("language", this.language);
        form.append("image", photo.blob, photo.name);
        return post(this.url("webhook"), form, (fraction) => {
          progress.value = fraction;
          if (fraction >= 1) progress.hidden = true;
        });
      };
      return this.turn(upload, entry, () => this.sendPhoto(source, said));
    }

    /** Run one request after those before it; show the answer, or a friendly error with a retry. */
    turn(request, entry, retry) {
      this.pending += 1;
      this.typing.hidden = false;
      this.emit("activity");
      const run = async () => {
        const answer = await request();
        this.pending -= 1;
        this.typing.hidden = this.pending === 0;
        const progress = entry.node.querySelector("progress");
        if (progress) progress.hidden = true;
        if (answer.status === 200 && Array.isArray(answer.data)) {
          const messages = answer.data.map(({ recipient_id: _, ...message }) => message);
          this.add({ type: "reply", messages });
          this.emit("reply", messages);
        } else {
          entry.failed = true;
          entry.node.classList.add("sg-failed");
          const status = [400, 413, 415, 429].includes(answer.status) ? answer.status : answer.status ? 500 : 0;
          const failure = this.add({ type: "error", status, detail: answer.data && answer.data.error });
          if (status === 0 || status === 429 || status === 500) this.offerRetry(failure, retry);
          this.emit("failed", { status: answer.status, error: answer.data && answer.data.error });
        }
        this.emit("activity");
      };
      this.queue = this.queue.then(run, run);
      return this.queue;
    }

    offerRetry(failure, retry) {
      const button = h("button", { type: "button", class: "sg-retry", onclick: () => {
        button.remove();
        retry();
      } });
      this.label(button, "text", "retry");
      failure.node.append(button);
    }

    /** Forget this conversation on screen (and on the server with `forget`) and start a new session. */
    async reset({ forget = false } = {}) {
      await this.queue;
      const old = this.sender;
      if (forget && this.hasConversation) {
        await post(this.url("webhook"), { sender: old, message: "/forget_me", metadata: {} });
      }
      this.sender = newSender(this.options.senderPrefix);
      this.storage.set("sender", this.sender);
      this.state = { sender: this.sender, entries: [], liked: [], open: this.state.open };
      this.liked = new Set();
      this.save();
      this.log.replaceChildren();
      this.welcome();
      this.emit("reset", { old, sender: this.sender });
      this.emit("liked", []);
    }

    // -- entries: shown, saved, restored ------------------------------------------------------------
    add(entry) {
      entry.node = this.render(entry);
      this.state.entries.push(entry);
      this.save();
      this.scrollDown();
      return entry;
    }

    save() {
      const entries = this.state.entries.slice(-MAX_ENTRIES).map(({ node: _, ...kept }) => kept);
      this.storage.set("state", { ...this.state, entries, liked: Array.from(this.liked) });
    }

    restore() {
      this.welcome();
      for (const entry of this.state.entries) {
        entry.restored = true;
        entry.node = this.render(entry);
      }
      if (this.state.open && !this.inline) this.open(false);
    }

    welcome() {
      const text = this.options.welcome ? this.options.welcome[this.language] || this.options.welcome.en : this.t("welcome");
      let node = this.log.querySelector(".sg-welcome");
      if (!node) {
        node = h("li", { class: "sg-msg sg-bot sg-welcome" }, h("p", { class: "sg-bubble" }));
        this.log.prepend(node);
      }
      node.firstChild.textContent = text;
    }

    render(entry) {
      let node;
      if (entry.type === "user" || entry.type === "photo") {
        for (const quick of this.log.querySelectorAll(".sg-quick")) quick.remove();
        node = entry.type === "user" ? h("li", { class: "sg-msg sg-user" }, h("p", { class: "sg-bubble", text: entry.text }))
          : this.renderPhoto(entry);
        if (entry.failed) node.classList.add("sg-failed");
      } else if (entry.type === "reply") {
        node = this.renderReply(entry.messages);
      } else {
        node = h("li", { class: "sg-msg sg-bot sg-error" }, h("p", { class: "sg-bubble", text: this.t(`e${entry.status}`) }));
      }
      this.log.append(node);
      return node;
    }

    renderPhoto(entry) {
      const picture = entry.thumb ? h("img", { src: entry.thumb, alt: this.t("yourPhoto") })
        : h("span", { class: "sg-file-name", text: entry.name || this.t("yourPhoto") });
      return h("li", { class: "sg-msg sg-user sg-photo-msg" },
        h("figure", { class: "sg-bubble sg-photo" }, picture,
          entry.text ? h("figcaption", { text: entry.text }) : null,
          h("progress", { max: "1", value: "0", "aria-label": this.t("uploading"), hidden: entry.failed || entry.restored })),
        h("span", { class: "sg-vh sg-not-sent", text: this.t("notSent") }));
    }

    renderReply(messages) {
      const hasCards = messages.some((m) => m.custom && m.custom.type === "products");
      const node = h("li", { class: "sg-msg sg-bot" });
      const buttons = [];
      for (const message of messages) {
        if (message.text) {
          // the numbered list repeats the cards for channels without them; the cards say it better here
          const lines = message.text.split("\n").filter((line) => !(hasCards && NUMBERED_LINE.test(line)));
          const text = lines.join("\n").trim();
          if (text) node.append(h("p", { class: "sg-bubble", text }));
        }
        if (message.image) {
          const src = safeLink(message.image, this.base);
          if (src) node.append(h("img", { class: "sg-image", src, alt: "" }));
        }
        if (message.custom && message.custom.type === "products" && Array.isArray(message.custom.items)) {
          this.retireCards();
          node.append(renderCards(message.custom.items, { language: this.language, base: this.base, actions: true,
            liked: this.liked, onAction: (...args) => this.cardAction(...args) }));
        }
        if (Array.isArray(message.buttons)) buttons.push(...message.buttons);
      }
      if (buttons.length) {
        const group = this.label(h("div", { class: "sg-quick", role: "group" }), "aria-label", "suggestions");
        for (const button of buttons) {
          group.append(h("button", { type: "button", text: button.title, onclick: (event) => {
            this.send(button.payload, button.title);
            this.keepFocus(event);
          } }));
        }
        node.append(group);
      }
      return node;
    }

    /** The numbers in a like or "more like" refer to the latest cards: older ones can no longer be acted on. */
    retireCards() {
      for (const list of this.log.querySelectorAll(".sg-cards:not(.sg-stale)")) {
        list.classList.add("sg-stale");
        list.setAttribute("title", this.t("stale"));
        for (const button of list.querySelectorAll(".sg-card-actions button")) button.disabled = true;
      }
    }

    cardAction(kind, item, number, title, event) {
      const id = String(item.id);
      if (kind !== "like") this.keepFocus(event);
      const payload = (intent) => `/${intent}{"item_number":"${number}"}`;
      if (kind === "like") {
        const button = this.log.querySelector(`.sg-cards:not(.sg-stale) [data-number="${number}"] .sg-like`);
        if (this.liked.has(id)) {
          this.liked.delete(id); // unliked: off the shortlist; the assistant keeps its own notes
          if (button) button.setAttribute("aria-pressed", "false");
          this.save();
          this.emit("liked", Array.from(this.liked));
          return;
        }
        this.liked.add(id);
        if (button) button.setAttribute("aria-pressed", "true");
        this.emit("liked", Array.from(this.liked));
        this.send(payload("like_item"), fill(this.t("likeSaid"), { n: number, title }));
      } else if (kind === "dislike") {
        this.send(payload("not_this"), fill(this.t("dislikeSaid"), { n: number, title }));
      } else {
        this.send(payload("more_like"), fill(this.t("moreSaid"), { n: number, title }));
      }
    }

    /** A button that goes away (or is disabled) hands keyboard focus to the input; a tap does not open a keyboard. */
    keepFocus(event) {
      if (event && event.detail === 0) this.input.focus();
    }

    scrollDown() {
      requestAnimationFrame(() => (this.log.scrollTop = this.log.scrollHeight));
    }
  }

  // -- configuration and the automatic mount ---------------------------------------------------------
  const script = document.currentScript;
  const data = (script && script.dataset) || {};
  const pageConfig = window.ShopGuide && typeof window.ShopGuide === "object" ? window.ShopGuide : {};

  function baseOf(server) {
    if (server) {
      const trimmed = server.replace(/\/+$/, "");
      return `${/\/webhooks\/web$/.test(trimmed) ? trimmed : `${trimmed}/webhooks/web`}/`;
    }
    return script && script.src ? new URL(".", script.src).href : new URL("/webhooks/web/", window.location.href).href;
  }

  function parseColours(text) {
    try {
      return text ? JSON.parse(text) : {};
    } catch (_) {
      return {};
    }
  }

  const config = {
    language: data.language || "auto",
    mode: data.mode || "launcher",
    container: data.container || null,
    theme: data.theme || "",
    persist: data.persist || "local",
    storageKey: data.storageKey || "web",
    senderPrefix: "web",
    colours: { ...parseColours(data.colours), ...(data.accent ? { accent: data.accent } : {}) },
    ...pageConfig,
  };
  if (pageConfig.colors && !pageConfig.colours) config.colours = pageConfig.colors;
  const BASE = baseOf(pageConfig.server != null ? pageConfig.server : data.server);
  config.base = BASE;

  const api = {
    version: "1.0",
    config,
    instances: [],
    instance: null,
    text: TEXT,
    renderCards,
    preparePhoto,
    mount(element, options = {}) {
      const chat = new Chat(element || null, { ...config, ...options, base: options.base || BASE });
      api.instances.push(chat);
      return chat;
    },
    open: () => api.instance && api.instance.open(),
    close: () => api.instance && api.instance.close(false),
  };
  window.ShopGuide = api;

  if (config.mode !== "manual") {
    const start = () => {
      const container = config.mode === "inline" && config.container ? document.querySelector(config.container) : null;
      api.instance = api.mount(container);
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})();
