/* Progressive enhancements for every page. Without this file the portal still works:
   controls that need JavaScript carry `hidden` + `data-js-only` and appear only here. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "portal-text-size";
  var MIN = -1, MAX = 3;

  function setSize(level) {
    level = Math.max(MIN, Math.min(MAX, level));
    if (level === 0) root.removeAttribute("data-text-size");
    else root.setAttribute("data-text-size", String(level));
    try { localStorage.setItem(KEY, String(level)); } catch (e) { /* private mode */ }
    return level;
  }

  var stored = 0;
  try { stored = parseInt(localStorage.getItem(KEY) || "0", 10) || 0; } catch (e) { stored = 0; }
  var level = stored ? setSize(stored) : 0;

  document.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-text-size], [data-action='print']");
    if (!target) return;
    if (target.hasAttribute("data-text-size")) {
      level = setSize(level + parseInt(target.getAttribute("data-text-size"), 10));
    } else {
      window.print();
    }
  });

  /* Wide screens show the whole menu; phones keep it folded in <details>. */
  var menu = document.querySelector(".nav-menu");
  if (menu && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 62em)");
    var sync = function () { menu.open = wide.matches; };
    sync();
    if (wide.addEventListener) wide.addEventListener("change", sync);
  }
})();
