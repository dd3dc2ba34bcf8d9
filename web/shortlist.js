/* The shortlist page a shopper opens on their phone from the kiosk's QR code: the cards they liked. */
(() => {
  "use strict";
  const TEXT = {
    en: {
      title: "Your shortlist", intro: "The items you liked at the shop, to look at again later.",
      loading: "Loading…", expired: "This link has expired: shortlists are kept for 24 hours.",
      failed: "The shortlist could not be loaded. Please check your connection and reload the page.",
    },
    zh: {
      title: "你的心愿单", intro: "你在店里喜欢的商品，方便之后再看。",
      loading: "加载中…", expired: "这个链接已过期：心愿单只保存24小时。",
      failed: "心愿单加载失败，请检查网络后刷新页面。",
    },
  };
  const asked = new URLSearchParams(window.location.search).get("lang");
  const language = asked === "zh" || (!asked && (navigator.language || "").toLowerCase().startsWith("zh")) ? "zh" : "en";
  const t = (key) => TEXT[language][key];
  const list = document.getElementById("s-items");
  const status = document.getElementById("s-status");
  document.documentElement.lang = language === "zh" ? "zh-CN" : "en";
  document.title = t("title");
  document.getElementById("s-title").textContent = t("title");
  document.getElementById("s-intro").textContent = t("intro");
  status.textContent = t("loading");

  async function load() {
    const path = window.location.pathname.replace(/\/+$/, "");
    try {
      const response = await fetch(`${path}/items`);
      const body = await response.json();
      if (!response.ok || !Array.isArray(body.items)) throw new Error(response.status === 404 ? "expired" : "failed");
      list.replaceChildren(window.ShopGuide.renderCards(body.items, { language }));
    } catch (error) {
      status.textContent = t(error.message === "expired" ? "expired" : "failed");
    } finally {
      list.setAttribute("aria-busy", "false");
    }
  }
  load();
})();
