() => {
  // medquote's own few behaviours, for the chat and the source viewer. Nothing here reads or runs
  // text from a source or a user: quotes and citations are only ever copied as plain text.
  if (window.mqInstalled) return;
  window.mqInstalled = true;

  const announce = (message) => {
    let region = document.getElementById("mq-live");
    if (!region) {
      region = document.createElement("div");
      region.id = "mq-live";
      region.className = "mq-visually-hidden";
      region.setAttribute("role", "status");
      document.body.appendChild(region);
    }
    region.textContent = "";
    setTimeout(() => { region.textContent = message; }, 50);
  };

  const copy = async (text) => {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (error) {
      // No clipboard API outside a secure context (a LAN address over http): the old way.
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      const done = document.execCommand("copy");
      area.remove();
      return done;
    }
  };

  document.addEventListener("click", async (event) => {
    const button = event.target.closest(".mq-copy");
    if (!button) return;
    const holder = button.closest(".mq-item, .mq-viewer");
    const citation = holder && holder.querySelector(".mq-citation");
    if (!citation) return;
    const text = citation.textContent;
    window.mqCopied = text;
    const ok = await copy(text);
    const label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    button.textContent = ok ? "Copied" : "Copy failed: select the text instead";
    announce(ok ? "The quote and its citation were copied." : "Copying failed.");
    setTimeout(() => { button.textContent = label; }, 2500);
  });

  const scroller = (element) => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (/(auto|scroll)/.test(style.overflowY) && node.scrollHeight > node.clientHeight) return node;
    }
    return null;
  };

  // Bring the top of an element to the top of the chat, then the chat into the window if it is not
  // wholly in view (on a phone it is taller than what is left of the screen below the header).
  const showTop = (element, box) => {
    if (box) box.scrollTop += element.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
    const frame = (box || element).getBoundingClientRect();
    if (frame.top < 0 || frame.bottom > window.innerHeight) window.scrollBy(0, frame.top);
  };

  window.mqShowLatest = (selector) => {
    const all = document.querySelectorAll(`#mq-chat ${selector}`);
    const latest = all[all.length - 1];
    if (!latest) return;
    const box = scroller(latest);
    if (selector === ".mq-pending") {
      // The question and its "searching" line are the last two messages: show the end of the chat.
      if (box) box.scrollTop = box.scrollHeight;
      showTop(latest, null);
      return;
    }
    showTop(latest, box);
    if (matchMedia("(pointer: fine)").matches) {
      const question = document.querySelector("#mq-question textarea");
      if (question) question.focus({ preventScroll: true });
    }
  };
}
