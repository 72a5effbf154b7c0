/* Inline definitions (.atlas-term > .atlas-def) and citation previews (sup.atlas-cite a[data-cite]) as
   pop-ups kept inside the viewport by Floating UI (vendored). Open on hover, tap and keyboard focus; close on
   Escape, a tap elsewhere and scrolling. Without this script the CSS in atlas.css/reading.css still shows
   definitions on hover and focus, and citation links jump to the reference list. Floating UI loads when a
   reader first opens a pop-up, not with every page. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("atlas-js-popovers");
  var vendor = document.currentScript.src.replace(/javascripts\/popovers\.js(\?.*)?$/, "vendor/floating-ui-1.8.0/");
  var FUI = null; // Floating UI, once loaded
  var loading = null;

  var open = null; // {anchor, popup, cleanup, scrollY}
  var wanted = null; // the anchor whose pop-up waits for Floating UI
  var closeTimer = null;
  var preview = null; // the one citation preview element of the page

  function script(src) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement("script");
      element.src = src;
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  function floatingUI() {
    if (!loading) {
      loading = script(vendor + "floating-ui.core.umd.min.js")
        .then(function () { return script(vendor + "floating-ui.dom.umd.min.js"); })
        .then(function () { FUI = window.FloatingUIDOM; })
        .catch(function () { root.classList.remove("atlas-js-popovers"); }); // the CSS pop-ups, then
    }
    return loading;
  }

  function place(anchor, popup) {
    return FUI.computePosition(anchor, popup, {
      strategy: "fixed",
      placement: "bottom-start",
      middleware: [
        FUI.inline(),
        FUI.offset(6),
        FUI.flip({ padding: 8 }),
        FUI.shift({ padding: 8 }),
        FUI.size({
          padding: 8,
          apply: function (state) {
            popup.style.maxWidth = Math.max(0, Math.min(352, state.availableWidth)) + "px";
            popup.style.maxHeight = Math.max(120, state.availableHeight) + "px";
          },
        }),
      ],
    }).then(function (pos) {
      popup.style.left = pos.x + "px";
      popup.style.top = pos.y + "px";
    });
  }

  function show(anchor, popup) {
    clearTimeout(closeTimer);
    if (open && open.anchor === anchor) return;
    if (!FUI) { // shown once Floating UI has loaded, unless the reader has moved on by then
      wanted = anchor;
      floatingUI().then(function () { if (FUI && wanted === anchor) show(anchor, popup); });
      return;
    }
    hide();
    popup.classList.add("is-open");
    anchor.classList.add("is-open");
    place(anchor, popup);
    open = {
      anchor: anchor,
      popup: popup,
      scrollY: window.scrollY,
      cleanup: FUI.autoUpdate(anchor, popup, function () { place(anchor, popup); }, { ancestorScroll: false }),
    };
  }

  function hide() {
    clearTimeout(closeTimer);
    wanted = null;
    if (!open) return;
    open.cleanup();
    open.popup.classList.remove("is-open");
    open.anchor.classList.remove("is-open");
    open = null;
  }

  function hideSoon() {
    clearTimeout(closeTimer);
    closeTimer = setTimeout(hide, 200);
  }

  function inside(node) {
    return open && (open.anchor.contains(node) || open.popup.contains(node));
  }

  /* a citation marker's preview: the page's own reference list entry, without its back-links */
  function createPreview() {
    preview = document.createElement("div");
    preview.className = "atlas-popover atlas-cite-preview";
    preview.id = "atlas-cite-preview";
    preview.setAttribute("role", "tooltip");
    preview.setAttribute("data-search-exclude", "");
    preview.addEventListener("pointerenter", function () { clearTimeout(closeTimer); });
    preview.addEventListener("pointerleave", function (event) { if (event.pointerType === "mouse") hideSoon(); });
    preview.hidden = true;
    document.body.appendChild(preview);
  }

  function citationPreview(link) {
    var entry = document.getElementById("ref-" + link.getAttribute("data-cite"));
    if (!entry) return null;
    preview.hidden = false;
    var copy = entry.cloneNode(true);
    copy.removeAttribute("id");
    copy.querySelectorAll(".atlas-backlinks").forEach(function (node) { node.remove(); });
    var number = document.createElement("span");
    number.className = "atlas-cite-preview__number";
    number.textContent = "[" + link.textContent + "] ";
    preview.replaceChildren(number);
    while (copy.firstChild) preview.appendChild(copy.firstChild);
    var jump = document.createElement("a");
    jump.href = "#" + entry.id;
    jump.className = "atlas-cite-preview__jump";
    jump.textContent = entry.parentElement.getAttribute("data-preview-jump"); // data/labels.yaml
    jump.addEventListener("click", hide);
    preview.appendChild(jump);
    return preview;
  }

  function popupFor(anchor) {
    if (anchor.classList.contains("atlas-term")) return anchor.querySelector(".atlas-def");
    return citationPreview(anchor);
  }

  function anchorOf(node) {
    if (!(node instanceof Element)) return null;
    return node.closest(".atlas-term, sup.atlas-cite a[data-cite]");
  }

  // created up front: every marker's aria-describedby names it
  if (document.querySelector("sup.atlas-cite a[data-cite]")) createPreview();
  document.querySelectorAll("sup.atlas-cite a[data-cite]").forEach(function (link) {
    // the preview replaces the browser's title tooltip, which would show on top of it
    link.removeAttribute("title");
    link.setAttribute("aria-describedby", "atlas-cite-preview");
  });

  var lastPointer = "mouse";
  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType;
    if (open && !inside(event.target)) hide();
  }, true);

  document.addEventListener("pointerover", function (event) {
    if (event.pointerType !== "mouse") return;
    var anchor = anchorOf(event.target);
    if (anchor) {
      var popup = popupFor(anchor);
      if (popup) show(anchor, popup);
    } else if (open && inside(event.target)) {
      clearTimeout(closeTimer);
    }
  });
  document.addEventListener("pointerout", function (event) {
    if (event.pointerType !== "mouse") return;
    if (!open) { wanted = null; return; } // left before Floating UI had loaded
    if (!inside(event.relatedTarget)) hideSoon();
  });

  document.addEventListener("focusin", function (event) {
    var anchor = anchorOf(event.target);
    if (anchor) {
      var popup = popupFor(anchor);
      if (popup) show(anchor, popup);
    } else if (open && !inside(event.target)) {
      hide();
    }
  });

  document.addEventListener("click", function (event) {
    var anchor = anchorOf(event.target);
    if (!anchor) return;
    // a tap on a citation number previews the reference; the preview's own link jumps to the list
    if (lastPointer !== "mouse" && anchor.matches("a[data-cite]") && !(open && open.popup.contains(event.target))) {
      event.preventDefault();
      var popup = popupFor(anchor);
      if (popup) show(anchor, popup);
      return;
    }
    if (anchor.classList.contains("atlas-term") && !(open && open.popup.contains(event.target))) {
      show(anchor, popupFor(anchor));
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && open) hide(); // focus stays where it was
  });

  // scrolling the page away closes the pop-up (a few pixels of jitter from the tap itself do not)
  window.addEventListener("scroll", function () {
    if (open && Math.abs(window.scrollY - open.scrollY) > 40) hide();
  }, { passive: true });
})();
