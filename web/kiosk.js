/*
 * The in-store kiosk: the widget (ShopGuide.mount, "kiosk" theme) on a touch screen, with starter
 * buttons, the kiosk's camera, "send to my phone" (a QR code of a shortlist link) and an idle reset
 * that forgets the shopper. URL parameters: ?idle=<seconds> (else /config's kiosk_idle_s), ?lang=zh.
 */
(() => {
  "use strict";
  const TEXT = {
    en: {
      title: "Shopping guide", phone: "Send to my phone", restart: "Start over", photo: "Take a photo",
      lang: "中文", langLabel: "切换到中文", starters: "Start with",
      cameraTitle: "Hold the item up to the camera", snap: "Take the photo", cancel: "Cancel",
      cameraError: "The camera is not available right now. Please ask a member of staff.",
      qrTitle: "Scan to take your shortlist with you", qrAlt: "QR code of the link to your shortlist",
      qrNote: "The link works for 24 hours. Nothing else about you is kept.", done: "Done",
      qrError: "Sorry, the shortlist could not be made. Please try again.",
      idle: "Still there? Touch the screen to continue.",
      phoneHint: "Tap ♥ on the items you like, then send them to your phone.",
      welcome: "Hello! Tap a button below, tell me what you are looking for, or take a photo of something you like.",
      buttons: [
        ["Dresses", "I'm looking for a dress"], ["Jackets", "I'm looking for a jacket"],
        ["Under 50", "something under 50"], ["Men", "show me men's clothes"], ["Women", "show me women's clothes"],
      ],
    },
    zh: {
      title: "购物向导", phone: "发送到我的手机", restart: "重新开始", photo: "拍照找同款",
      lang: "English", langLabel: "Switch to English", starters: "从这里开始",
      cameraTitle: "把衣服对准摄像头", snap: "拍照", cancel: "取消",
      cameraError: "摄像头暂时不可用，请联系店员。",
      qrTitle: "扫码把心愿单带走", qrAlt: "心愿单链接的二维码",
      qrNote: "链接24小时内有效，不会保存你的其他信息。", done: "完成",
      qrError: "抱歉，心愿单没有生成，请再试一次。",
      idle: "还在吗？触摸屏幕继续。",
      phoneHint: "点击喜欢的商品上的♥，再发送到手机。",
      welcome: "你好！点击下面的按钮，告诉我你想找什么，或者拍一张你喜欢的衣服。",
      buttons: [
        ["连衣裙", "我想看连衣裙"], ["夹克", "我想看夹克"], ["50以内", "50以内的"], ["男士", "男士的衣服"],
        ["女士", "女士的衣服"],
      ],
    },
  };
  const WARN_S = 15; // the "still there?" notice shows this long before an idle reset (when the timeout allows)

  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(window.location.search);
  const base = window.ShopGuide.config.base;
  const startLanguage = params.get("lang") === "zh" ? "zh" : "en";
  let language = startLanguage;
  const chat = window.ShopGuide.mount($("k-chat"), {
    theme: "kiosk", persist: "session", storageKey: "kiosk", senderPrefix: "kiosk", filePicker: false,
    language, welcome: { en: TEXT.en.welcome, zh: TEXT.zh.welcome },
  });
  window.ShopGuide.instance = chat;
  const t = (key) => TEXT[language][key];

  // -- language and starter buttons --------------------------------------------------------------
  function relabel() {
    document.documentElement.lang = language === "zh" ? "zh-CN" : "en";
    for (const node of document.querySelectorAll("[data-k]")) node.textContent = t(node.dataset.k);
    $("k-starters").setAttribute("aria-label", t("starters"));
    $("k-lang").textContent = t("lang");
    $("k-lang").setAttribute("lang", language === "zh" ? "en" : "zh");
    $("k-lang").title = t("langLabel");
    $("k-qr-img").alt = t("qrAlt");
    for (const old of document.querySelectorAll(".k-starter")) old.remove();
    for (const [title, message] of t("buttons")) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "k-btn k-starter";
      button.textContent = title;
      button.addEventListener("click", () => chat.send(message, title));
      $("k-lang").before(button);
    }
    updatePhoneButton();
  }

  function setLanguage(next) {
    language = next;
    chat.setLanguage(next);
    relabel();
  }

  // -- send to my phone -----------------------------------------------------------------------------
  function updatePhoneButton() {
    const count = chat.liked.size;
    $("k-phone").disabled = count === 0;
    $("k-count").textContent = String(count);
    $("k-phone").title = count ? "" : t("phoneHint");
  }

  async function sendToPhone() {
    const error = $("k-qr-error");
    error.hidden = true;
    let answer = null;
    try {
      const response = await fetch(new URL("shortlist", base), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: chat.sender, items: Array.from(chat.liked) }),
      });
      answer = response.ok ? await response.json() : null;
    } catch (_) {
      answer = null;
    }
    $("k-qr-img").hidden = !answer;
    $("k-qr-link").parentElement.hidden = !answer;
    if (answer) {
      $("k-qr-img").src = answer.qr;
      $("k-qr-link").href = answer.url;
      $("k-qr-link").textContent = answer.url;
    } else {
      error.textContent = t("qrError");
      error.hidden = false;
    }
    showOverlay("k-qr", $("k-qr-done"));
  }

  // -- overlays (camera, QR) --------------------------------------------------------------------------
  let opener = null;
  function showOverlay(id, focus) {
    opener = document.activeElement;
    $(id).hidden = false;
    focus.focus();
  }

  function hideOverlay(id) {
    if ($(id).hidden) return;
    $(id).hidden = true;
    if (opener && opener.focus) opener.focus();
  }

  // -- the kiosk's camera -----------------------------------------------------------------------------
  let stream = null;
  async function openCamera() {
    $("k-camera-error").hidden = true;
    $("k-snap").disabled = true;
    showOverlay("k-camera", $("k-camera-cancel"));
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "user", width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false,
      });
      $("k-video").srcObject = stream;
      await $("k-video").play();
      $("k-snap").disabled = false;
      $("k-snap").focus();
    } catch (_) {
      $("k-camera-error").hidden = false;
    }
  }

  function closeCamera() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    $("k-video").srcObject = null;
    hideOverlay("k-camera");
  }

  function snap() {
    const video = $("k-video");
    if (!video.videoWidth) return;
    const frame = document.createElement("canvas");
    frame.width = video.videoWidth;
    frame.height = video.videoHeight;
    frame.getContext("2d").drawImage(video, 0, 0);
    closeCamera();
    chat.sendPhoto(frame, "");
  }

  // -- idle reset: forget the shopper, start a new session --------------------------------------------
  let idleS = Number(params.get("idle")) || 0;
  let lastActivity = Date.now();
  let resetting = false;
  const touched = () => {
    lastActivity = Date.now();
    $("k-idle").hidden = true;
  };

  async function startOver() {
    resetting = true;
    closeCamera();
    hideOverlay("k-qr");
    $("k-idle").hidden = true;
    await chat.reset({ forget: true });
    if (language !== startLanguage) setLanguage(startLanguage);
    resetting = false;
    touched();
  }

  function checkIdle() {
    if (!idleS || resetting || chat.pending > 0) {
      if (chat.pending > 0) touched();
      return;
    }
    const idle = (Date.now() - lastActivity) / 1000;
    const busy = chat.hasConversation || !$("k-camera").hidden || !$("k-qr").hidden;
    if (!busy) {
      touched();
      return;
    }
    if (idleS >= 2 * WARN_S && idle >= idleS - WARN_S) $("k-idle").hidden = false;
    if (idle >= idleS) startOver();
  }

  async function loadIdleTimeout() {
    if (idleS) return;
    try {
      const config = await (await fetch(new URL("config", base))).json();
      idleS = Number(config.kiosk_idle_s) || 90;
    } catch (_) {
      idleS = 90;
    }
  }

  // -- wiring -----------------------------------------------------------------------------------------
  for (const event of ["pointerdown", "keydown", "touchstart", "wheel", "input"]) {
    document.addEventListener(event, touched, { capture: true, passive: true });
  }
  chat.on("activity", touched);
  chat.on("liked", updatePhoneButton);
  chat.on("reset", updatePhoneButton);
  $("k-photo").addEventListener("click", openCamera);
  $("k-snap").addEventListener("click", snap);
  $("k-camera-cancel").addEventListener("click", closeCamera);
  $("k-phone").addEventListener("click", sendToPhone);
  $("k-qr-done").addEventListener("click", () => hideOverlay("k-qr"));
  $("k-restart").addEventListener("click", startOver);
  $("k-lang").addEventListener("click", () => setLanguage(language === "zh" ? "en" : "zh"));
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    closeCamera();
    hideOverlay("k-qr");
  });
  relabel();
  loadIdleTimeout();
  setInterval(checkIdle, 500);
})();
