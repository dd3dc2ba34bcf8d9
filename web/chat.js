// Minimal chat page for the web channel: text in, text/buttons/product cards out.
(() => {
  const endpoint = new URL("webhook", window.location.href.replace(/chat\/?$/, "")).toString();
  const sender = localStorage.getItem("shopguide.sender") || `web-${crypto.randomUUID()}`;
  localStorage.setItem("shopguide.sender", sender);
  const log = document.getElementById("log");
  const form = document.getElementById("form");
  const input = document.getElementById("text");

  function add(node, who) {
    const li = document.createElement("li");
    li.className = who;
    li.appendChild(node);
    log.appendChild(li);
    li.scrollIntoView({ block: "end" });
  }
  function bubble(text, who) {
    const span = document.createElement("span");
    span.className = "bubble";
    span.textContent = text;
    add(span, who);
  }
  function cards(items) {
    const grid = document.createElement("div");
    grid.className = "cards";
    for (const item of items) {
      const card = document.createElement("article");
      card.className = "card";
      const img = document.createElement("img");
      img.src = item.image_url || "";
      img.alt = item.title;
      const title = document.createElement("div");
      title.textContent = item.title;
      const price = document.createElement("div");
      price.className = "price";
      price.textContent = item.price != null ? `${item.price.toFixed(2)} ${item.currency}` : "";
      const why = document.createElement("div");
      why.className = "why";
      why.textContent = item.explanation || "";
      card.append(img, title, price, why);
      grid.appendChild(card);
    }
    add(grid, "bot");
  }
  function buttons(list) {
    const box = document.createElement("div");
    box.className = "buttons";
    for (const b of list) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = b.title;
      button.addEventListener("click", () => send(b.payload, b.title));
      box.appendChild(button);
    }
    add(box, "bot");
  }
  async function send(message, shown) {
    bubble(shown || message, "user");
    try {
      const reply = await fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender, message }),
      });
      const messages = await reply.json();
      if (!reply.ok) throw new Error(messages.error || reply.statusText);
      if (!messages.length) bubble("…", "bot");
      for (const m of messages) {
        if (m.custom && m.custom.type === "products") cards(m.custom.items);
        else if (m.text) bubble(m.text, "bot");
        if (m.buttons && m.buttons.length) buttons(m.buttons);
      }
    } catch (error) {
      bubble(`Sorry, the assistant cannot be reached right now (${error.message}).`, "bot");
    }
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text) send(text);
    input.value = "";
  });
})();
