// Runs counter/static/counter.js in Node against a tiny fake DOM and a real service.
// Usage: node widget_harness.mjs SCRIPT ENDPOINT PATH OTHER_PATH
// Prints JSON: the text of every counter element, console calls, unhandled rejections.
import fs from "node:fs";
import vm from "node:vm";

const [script, endpoint, path, other] = process.argv.slice(2);
const problems = [];
process.on("unhandledRejection", (e) => problems.push("unhandledRejection: " + e));
process.on("uncaughtException", (e) => problems.push("uncaughtException: " + e));

const el = (attrs, text) => ({
  attrs,
  textContent: text,
  hasAttribute(name) { return name in this.attrs; },
  getAttribute(name) { return name in this.attrs ? this.attrs[name] : null; },
});
const html = el({ "data-counter-endpoint": endpoint }, "");
const nodes = {
  online: el({ "data-counter": "online" }, "2"),
  today: el({ "data-counter": "today" }, "27"),
  total: el({ "data-counter": "total" }, "278.000"),
  views: el({ "data-counter-views": "" }, "12"),
  other: el({ "data-counter-views": other }, "7"),
  asof: el({ "data-counter-asof": "" }, "Số liệu đến 14:05 22/11/2026"),
};
const all = [html, ...Object.values(nodes)];
const match = (sel) => {
  const name = sel.slice(1, -1);
  return all.filter((n) => n.hasAttribute(name));
};
const document = {
  documentElement: html,
  readyState: "complete",
  visibilityState: "visible",
  prerendering: false,
  querySelector: (sel) => match(sel)[0] || null,
  querySelectorAll: (sel) => match(sel),
  addEventListener() {},
  removeEventListener() {},
};
const calls = [];
const consoleSpy = {};
for (const level of ["log", "info", "warn", "error", "debug"]) {
  consoleSpy[level] = (...args) => calls.push(level + ": " + args.join(" "));
}
const sandbox = {
  document,
  location: { pathname: path },
  navigator: { webdriver: false },
  fetch: (...args) => fetch(...args),
  console: consoleSpy,
  setTimeout,
};
sandbox.window = sandbox;
vm.runInNewContext(fs.readFileSync(script, "utf8"), sandbox);
setTimeout(() => {
  const text = Object.fromEntries(Object.entries(nodes).map(([k, v]) => [k, v.textContent]));
  process.stdout.write(JSON.stringify({ text, console: calls, problems }));
}, 1000);
