/* Visitor counter widget: records one hit for this page and shows live numbers.
 *
 * Markup (rendered by the build with snapshot numbers, which stay if anything fails):
 *   <html data-counter-endpoint="https://site.example/api/v1">   (or on the counter block)
 *   <span data-counter="online|today|total">278.872</span>
 *   <span data-counter-views>12</span>                 views of this page
 *   <span data-counter-views="/tin-tuc/bai.html">5</span>  views of another page (lists)
 *   <small data-counter-asof>Số liệu đến 14:05 22/11/2026</small>
 *
 * No cookies, no storage, no third-party request, no framework. Every failure is swallowed:
 * the page keeps its static numbers and the script never throws or logs.
 */
(function () {
  "use strict";
  try {
    var doc = document;
    var root = doc.documentElement;
    var holder = root.hasAttribute("data-counter-endpoint")
      ? root
      : doc.querySelector("[data-counter-endpoint]");
    var endpoint = holder ? (holder.getAttribute("data-counter-endpoint") || "").replace(/\/+$/, "") : "";
    if (!endpoint || typeof window.fetch !== "function") return;

    var formatter = null;
    try {
      formatter = new Intl.NumberFormat("vi-VN");
    } catch (e) {
      formatter = null;
    }
    var format = function (n) {
      if (formatter) return formatter.format(n);
      return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    };
    var isCount = function (n) {
      return typeof n === "number" && isFinite(n) && n >= 0;
    };
    var pad = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    var asofText = function () {
      // Wall-clock time in Vietnam (UTC+7, no DST), whatever the visitor's time zone.
      var d = new Date(Date.now() + 7 * 3600 * 1000);
      return "Số liệu đến " + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + " " +
        pad(d.getUTCDate()) + "/" + pad(d.getUTCMonth() + 1) + "/" + d.getUTCFullYear();
    };
    var here = location.pathname;
    var each = function (selector, fn) {
      var nodes = doc.querySelectorAll(selector);
      for (var i = 0; i < nodes.length; i++) fn(nodes[i]);
    };
    var viewsPath = function (el) {
      return el.getAttribute("data-counter-views") || here;
    };

    var update = function (site, views) {
      var changed = false;
      if (site) {
        each("[data-counter]", function (el) {
          var n = site[el.getAttribute("data-counter")];
          if (isCount(n)) {
            el.textContent = format(n);
            changed = true;
          }
        });
      }
      if (views) {
        each("[data-counter-views]", function (el) {
          var n = views[viewsPath(el)];
          if (isCount(n)) {
            el.textContent = format(n);
            changed = true;
          }
        });
      }
      if (changed) {
        each("[data-counter-asof]", function (el) {
          el.textContent = asofText();
        });
      }
    };

    var call = function (url, options) {
      return window.fetch(url, options).then(function (r) {
        return r.ok ? r.json() : null;
      });
    };

    var otherPaths = function () {
      var seen = {};
      var list = [];
      each("[data-counter-views]", function (el) {
        var p = viewsPath(el);
        if (p !== here && !seen[p] && list.length < 100) {
          seen[p] = true;
          list.push(p);
        }
      });
      return list;
    };

    var fetchStats = function (paths) {
      var url = endpoint + "/stats?paths=" + paths.map(encodeURIComponent).join(",");
      return call(url, { credentials: "omit", referrerPolicy: "no-referrer" }).then(function (data) {
        if (data) update(data.site, data.views);
      });
    };

    var send = function () {
      var body = { p: here };
      if (navigator.webdriver) body.b = 1;
      call(endpoint + "/hit", {
        method: "POST",
        headers: { "Content-Type": "text/plain" },
        body: JSON.stringify(body),
        keepalive: true,
        credentials: "omit",
        cache: "no-store",
        referrerPolicy: "no-referrer",
      })
        .then(function (data) {
          var views = {};
          if (data && isCount(data.views)) views[here] = data.views;
          update(data && data.site, views);
          var others = otherPaths();
          // Not counted (page not countable, rate limited...): still show live site numbers.
          if (others.length || !data) return fetchStats(others.length ? others : [here]);
        })
        ["catch"](function () {});
    };

    var start = function () {
      try {
        send();
      } catch (e) {
        /* keep the static numbers */
      }
    };
    // Never count a prerendered page nobody looked at: wait until it is shown.
    if (doc.prerendering || doc.visibilityState === "prerender") {
      var onShow = function () {
        if (doc.prerendering || doc.visibilityState === "prerender") return;
        doc.removeEventListener("prerenderingchange", onShow);
        doc.removeEventListener("visibilitychange", onShow);
        start();
      };
      doc.addEventListener("prerenderingchange", onShow);
      doc.addEventListener("visibilitychange", onShow);
    } else if (doc.readyState === "loading") {
      doc.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  } catch (e) {
    /* keep the static numbers */
  }
})();
