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

  // -- Dates typed day-first ---------------------------------------------------
  // The browser's own date picker shows the order of the computer's language (an English
  // Windows shows 12/07/2026 for 7 December). Editors type and read dd/mm/yyyy here, as
  // everywhere in the portal; the file stores 2026-12-07 08:00, which the build and
  // Decap's file names both read right. Same rules and messages as the build.
  var DAY_FIRST = /^(?:ngày\s+)?(\d{1,2})\s*[\/.\-]\s*(\d{1,2})\s*[\/.\-]\s*(\d+)(?:\s*(?:,|lúc)?\s*(\d{1,2})(?:[:hH](\d{2})?)?)?$/i;
  var STORED = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?/;

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function readDate(text, withTime) {
    var clean = String(text || "").trim().replace(/\s+/g, " ");
    if (!clean) return { stored: "" };
    var m = DAY_FIRST.exec(clean), parts;
    if (m) parts = [m[3], m[2], m[1], m[4], m[5]];
    else if ((m = STORED.exec(clean))) parts = [m[1], m[2], m[3], m[4], m[5]];
    else {
      return { error: "không hiểu ngày \"" + clean + "\"; hãy viết theo dạng ngày/tháng/năm " +
        (withTime ? "giờ:phút, ví dụ 07/12/2026 08:00" : "ví dụ 07/12/2026") };
    }
    var year = parts[0], month = +parts[1], day = +parts[2];
    var hour = +(parts[3] || 0), minute = +(parts[4] || 0);
    if (year.length !== 4) return { error: "năm phải có đủ 4 chữ số, ví dụ 2026" };
    if (month < 1 || month > 12) {
      return { error: "không có tháng " + month + "; ngày được đọc theo thứ tự ngày/tháng/năm " +
        "(07/12/2026 là ngày 7 tháng 12)" };
    }
    var check = new Date(Date.UTC(+year, month - 1, day));
    if (check.getUTCMonth() !== month - 1 || day < 1) {
      return { error: "tháng " + month + "/" + year + " không có ngày " + day };
    }
    if (hour > 23 || minute > 59) return { error: "giờ từ 00:00 đến 23:59" };
    var stored = year + "-" + two(month) + "-" + two(day);
    if (withTime) stored += " " + two(hour) + ":" + two(minute);
    return { stored: stored };
  }

  function nowStored() {
    // Vietnam time whatever the computer's clock zone: UTC+7, no daylight saving.
    var d = new Date(Date.now() + 7 * 3600 * 1000);
    return d.getUTCFullYear() + "-" + two(d.getUTCMonth() + 1) + "-" + two(d.getUTCDate()) +
      " " + two(d.getUTCHours()) + ":" + two(d.getUTCMinutes());
  }

  var DateControl = window.createClass({
    withTime: function () { return this.props.field.get("time") !== false; },
    getInitialState: function () { return { text: dayFirst(this.props.value) }; },
    componentDidMount: function () {
      if (!this.props.value && this.props.field.get("default_now")) {
        var now = nowStored();
        this.setState({ text: dayFirst(now) });
        this.props.onChange(now);
      }
    },
    isValid: function () {
      var result = readDate(this.state.text, this.withTime());
      return result.error ? { error: { message: this.props.field.get("label") + ": " + result.error } } : true;
    },
    handleChange: function (event) {
      var text = event.target.value;
      var result = readDate(text, this.withTime());
      this.setState({ text: text });
      this.props.onChange(result.error ? text : result.stored);
    },
    handleBlur: function () {
      var result = readDate(this.state.text, this.withTime());
      if (!result.error) this.setState({ text: dayFirst(result.stored) });
      if (this.props.setInactiveStyle) this.props.setInactiveStyle();
    },
    render: function () {
      var withTime = this.withTime();
      return h("input", {
        type: "text",
        id: this.props.forID,
        className: this.props.classNameWrapper,
        value: this.state.text,
        onChange: this.handleChange,
        onFocus: this.props.setActiveStyle,
        onBlur: this.handleBlur,
        inputMode: "numeric",
        autoComplete: "off",
        placeholder: withTime ? "ngày/tháng/năm giờ:phút, ví dụ 07/12/2026 08:00"
          : "ngày/tháng/năm, ví dụ 07/12/2026",
      });
    },
  });

  var DatePreview = window.createClass({
    render: function () { return h("span", {}, dayFirst(this.props.value)); },
  });

  var TextPreview = window.createClass({
    render: function () { return h("span", {}, String(this.props.value || "")); },
  });

  // Named "date" so Decap takes this field as the entry's date ({{year}} in file paths).
  CMS.registerWidget("date", DateControl, DatePreview);

  // -- The photo's description: required as soon as there is a photo -----------------
  // The production build refuses a lead photo without alt text (IMAGES_REQUIRE_ALT); a
  // post without a photo needs none, so Decap's plain "required" cannot say it.
  var AltControl = window.createClass({
    isValid: function () {
      var entry = this.props.getEntry ? this.props.getEntry() : this.props.entry;
      var image = entry && entry.getIn(["data", "image"]);
      if (image && !String(this.props.value || "").trim()) {
        return { error: { message: this.props.field.get("label") +
          ": bài có ảnh đại diện thì phải mô tả ảnh (cho người khiếm thị)" } };
      }
      return true;
    },
    handleChange: function (event) { this.props.onChange(event.target.value); },
    render: function () {
      return h("input", {
        type: "text",
        id: this.props.forID,
        className: this.props.classNameWrapper,
        value: this.props.value || "",
        onChange: this.handleChange,
        onFocus: this.props.setActiveStyle,
        onBlur: this.props.setInactiveStyle,
      });
    },
  });

  CMS.registerWidget("mo-ta-anh", AltControl, TextPreview);

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
