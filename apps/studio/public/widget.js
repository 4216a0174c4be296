/*
 * Zendesk Messaging hand-off — embeddable chat launcher.
 *
 *   <script src="https://<host>/widget.js" data-project-id="PROJECT-f07a975e" async></script>
 *
 * Adds a floating "Open chat" button at the bottom right that shows and hides the chat in an
 * iframe served from the same host as this script. Plain JavaScript with no build step, no
 * eval and no inline markup, so it runs under a strict Content-Security-Policy. Every style is
 * set as an inline !important property on the element itself: the host page's stylesheets
 * cannot restyle or hide the launcher, and this script adds no stylesheet to the host page.
 */
(function () {
  "use strict";

  var CLOSE_REQUEST = "zm-chat:close";
  var FOCUS_REQUEST = "zm-chat:focus";
  var PROJECT_ID = /^PROJECT-[0-9a-f]{8}$/;
  var TOP_LAYER = "2147483000";
  var BRAND = "#03363d";
  var FOCUS_RING = "0 0 0 3px #ffffff, 0 0 0 6px #1f73b7";
  var RESTING_SHADOW = "0 4px 14px rgba(20, 30, 40, 0.28)";

  var script = document.currentScript || document.querySelector("script[data-project-id][src*='widget.js']");
  if (!script) return;
  var projectId = script.getAttribute("data-project-id") || "";
  if (!PROJECT_ID.test(projectId)) {
    console.error("[chat widget] data-project-id must look like PROJECT-f07a975e; got " + JSON.stringify(projectId));
    return;
  }
  var chatOrigin = new URL(script.src, location.href).origin;
  var chatUrl = chatOrigin + "/chat/" + encodeURIComponent(projectId) + "?embed=1";

  function style(element, properties) {
    // Reset everything first so no inherited or host-page value (font, line-height, filters…)
    // reaches the element; the declarations after it then win over any host rule.
    element.style.setProperty("all", "initial", "important");
    Object.keys(properties).forEach(function (name) {
      element.style.setProperty(name, properties[name], "important");
    });
  }

  var SVG = "http://www.w3.org/2000/svg";
  function icon(pathData) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "26");
    svg.setAttribute("height", "26");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", pathData);
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", "#ffffff");
    path.setAttribute("stroke-width", "2");
    path.setAttribute("stroke-linecap", "round");
    path.setAttribute("stroke-linejoin", "round");
    svg.appendChild(path);
    style(svg, { display: "block", width: "26px", height: "26px", "pointer-events": "none" });
    return svg;
  }
  var chatIcon = icon("M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4h0A1.5 1.5 0 0 1 4 14.5z");
  var closeIcon = icon("M6 6l12 12M18 6L6 18");

  var launcher = document.createElement("button");
  launcher.type = "button";
  launcher.setAttribute("aria-label", "Open chat");
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("data-zm-chat-launcher", "");
  var launcherStyles = {
    position: "fixed",
    right: "20px",
    bottom: "20px",
    "z-index": TOP_LAYER,
    display: "flex",
    "align-items": "center",
    "justify-content": "center",
    width: "56px",
    height: "56px",
    margin: "0",
    padding: "0",
    border: "none",
    "border-radius": "50%",
    background: BRAND,
    "box-shadow": RESTING_SHADOW,
    cursor: "pointer",
    visibility: "visible",
    opacity: "1",
    "box-sizing": "border-box",
  };
  style(launcher, launcherStyles);
  launcher.appendChild(chatIcon);

  var frame = null;
  var open = false;

  // The reset above also removes the browser's focus outline, so draw one for keyboard users.
  launcher.addEventListener("focus", function () {
    var keyboard = true;
    try {
      keyboard = launcher.matches(":focus-visible");
    } catch (unsupported) {
      // Older browsers: show the ring for every focus rather than never.
    }
    if (keyboard) launcher.style.setProperty("box-shadow", FOCUS_RING + ", " + RESTING_SHADOW, "important");
  });
  launcher.addEventListener("blur", function () {
    launcher.style.setProperty("box-shadow", RESTING_SHADOW, "important");
  });

  function createFrame() {
    var iframe = document.createElement("iframe");
    iframe.id = "zm-chat-frame";
    iframe.title = "Chat";
    iframe.src = chatUrl;
    style(iframe, {
      position: "fixed",
      right: "20px",
      bottom: "88px",
      "z-index": TOP_LAYER,
      display: "none",
      width: "min(380px, calc(100vw - 40px))",
      height: "min(620px, calc(100vh - 108px))",
      margin: "0",
      padding: "0",
      border: "none",
      "border-radius": "14px",
      background: "#ffffff",
      "box-shadow": "0 12px 40px rgba(20, 30, 40, 0.3)",
      "color-scheme": "light",
      "box-sizing": "border-box",
    });
    iframe.addEventListener("load", function () {
      if (open) askFrameToFocusComposer(iframe);
    });
    document.body.appendChild(iframe);
    launcher.setAttribute("aria-controls", iframe.id);
    return iframe;
  }

  function askFrameToFocusComposer(iframe) {
    iframe.focus();
    if (iframe.contentWindow) iframe.contentWindow.postMessage({ type: FOCUS_REQUEST }, chatOrigin);
  }

  function setOpen(nextOpen) {
    if (nextOpen === open) return;
    open = nextOpen;
    if (!frame) frame = createFrame();
    frame.style.setProperty("display", open ? "block" : "none", "important");
    launcher.setAttribute("aria-expanded", String(open));
    launcher.replaceChild(open ? closeIcon : chatIcon, open ? chatIcon : closeIcon);
    if (open) askFrameToFocusComposer(frame);
  }

  function closeAndReturnFocus() {
    setOpen(false);
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    setOpen(!open);
  });

  // Escape on the host page, while the keyboard is on the launcher or nowhere in particular.
  // (Escape inside the chat reaches the chat's document, which asks to close: see below.)
  document.addEventListener("keydown", function (event) {
    if (!open || event.key !== "Escape" || event.defaultPrevented) return;
    var active = document.activeElement;
    if (active && active !== document.body && active !== launcher && active !== frame) return;
    closeAndReturnFocus();
  });

  window.addEventListener("message", function (event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== chatOrigin) return;
    var data = event.data;
    if (data && typeof data === "object" && data.type === CLOSE_REQUEST && open) closeAndReturnFocus();
  });

  function mount() {
    if (document.querySelector("[data-zm-chat-launcher]")) return; // included twice
    document.body.appendChild(launcher);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
