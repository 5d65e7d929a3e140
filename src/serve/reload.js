// Injected by `mieruka serve` only (never by `mieruka build`): reloads the
// page when the site is rebuilt, and shows build errors over the page.
(() => {
  let box = null;
  const hide = () => { if (box) { box.remove(); box = null; } };
  // A stream refused (503 past the preview's cap on open pages) or cut is
  // closed for good by the browser: open it again after a pause, longer
  // each time (at most a minute).
  let wait = 2000;
  const listen = () => {
    const events = new EventSource("/__mieruka/events");
    events.onopen = () => { wait = 2000; };
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED) {
        setTimeout(listen, wait);
        wait = Math.min(wait * 2, 60000);
      }
    };
    on(events);
  };
  const on = (events) => {
    events.addEventListener("reload", () => location.reload());
    events.addEventListener("ok", hide);
    events.addEventListener("build-error", (e) => {
      const { title, lines } = JSON.parse(e.data);
      hide();
      box = document.createElement("div");
      box.id = "mieruka-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:2147483647;" +
        "background:#fff5f5;color:#1b1b1b;border-bottom:4px solid #b00020;padding:1rem 1.2rem;" +
        "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 4px 12px rgba(0,0,0,.3)";
      const h = document.createElement("p");
      h.style.cssText = "margin:0 0 .5rem;font-weight:700;color:#b00020";
      h.textContent = title;
      box.append(h);
      const pre = document.createElement("pre");
      pre.style.cssText = "margin:0;white-space:pre-wrap";
      pre.textContent = lines.join("\n");
      box.append(pre);
      const close = document.createElement("button");
      close.type = "button";
      close.textContent = "×";
      close.setAttribute("aria-label", "close");
      close.style.cssText = "position:absolute;top:.4rem;right:.6rem;font-size:1.2rem";
      close.onclick = hide;
      box.append(close);
      document.body.append(box);
    });
  };
  listen();
})();
