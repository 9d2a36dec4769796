/* The portal's additions to Decap CMS (written to /admin/cms-portal.js by plugins/cms).
 * - Vietnamese: Decap's own "vi" strings with the ones it lacks filled in.
 * - Preview: the portal's stylesheet and an article template close to the real page.
 * No network access: everything comes from this site. */
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;

  function merge(base, extra) {
    var out = {};
    Object.keys(base || {}).forEach(function (key) { out[key] = base[key]; });
    Object.keys(extra).forEach(function (key) {
      var value = extra[key];
      out[key] = value && typeof value === "object" && !Array.isArray(value)
        ? merge((base || {})[key], value) : value;
    });
    return out;
  }

  var additions = /*LOCALE_ADDITIONS*/{};
  CMS.registerLocale("vi", merge(CMS.getLocale("vi"), additions));

  /*PREVIEW_CSS*/[].forEach(function (href) { CMS.registerPreviewStyle(href); });

  // "2025-12-07 08:00" (the stored form) shown day-first as the portal shows it.
  function dayFirst(value) {
    var match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/.exec(String(value || ""));
    if (!match) return String(value || "");
    var text = match[3] + "/" + match[2] + "/" + match[1];
    return match[4] ? text + " " + match[4] + ":" + match[5] : text;
  }

  function field(entry, name) {
    var value = entry.getIn(["data", name]);
    return value && value.toJS ? value.toJS() : value;
  }

  var PostPreview = window.createClass({
    render: function () {
      var entry = this.props.entry;
      var image = field(entry, "image");
      var tags = field(entry, "tags") || [];
      var source = field(entry, "source");
      var children = [
        h("p", { className: "article-category" }, field(entry, "category") || ""),
        h("h1", { className: "article-title" }, field(entry, "title") || ""),
        h("div", { className: "article-meta" },
          h("p", { className: "meta" },
            dayFirst(field(entry, "date")), " · ", field(entry, "unit") || "")),
      ];
      if (field(entry, "summary")) {
        children.push(h("div", { className: "lead" }, h("p", {}, field(entry, "summary"))));
      }
      if (image) {
        var asset = this.props.getAsset(image);
        children.push(h("figure", { className: "lead-image" },
          h("img", { src: asset ? asset.toString() : "", alt: field(entry, "image_alt") || "" }),
          field(entry, "image_caption")
            ? h("figcaption", {}, field(entry, "image_caption")) : null));
      }
      children.push(h("div", { className: "article-body" }, this.props.widgetFor("body")));
      if (field(entry, "author")) {
        children.push(h("p", { className: "byline" }, h("span", { className: "author" }, field(entry, "author"))));
      }
      if (source) children.push(h("p", { className: "source" }, "Nguồn: " + source));
      if (tags.length) {
        children.push(h("p", { className: "tags" }, h("span", { className: "tags-label" }, "Thẻ: "),
          tags.map(function (tag, i) { return h("span", { className: "tag", key: i }, tag, " "); })));
      }
      return h("main", { className: "container main" },
        h("div", { className: "article-layout" },
          h("div", { className: "article-column" }, h("article", { className: "article" }, children))));
    }
  });

  var PagePreview = window.createClass({
    render: function () {
      var entry = this.props.entry;
      return h("main", { className: "container main" },
        h("article", { className: "page" },
          h("h1", { className: "article-title" }, field(entry, "title") || ""),
          h("div", { className: "article-body" }, this.props.widgetFor("body"))));
    }
  });

  CMS.registerPreviewTemplate("posts", PostPreview);
  CMS.registerPreviewTemplate("pages", PagePreview);
})();
