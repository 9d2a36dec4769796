/* Search page: queries the Pagefind bundles built by plugins/search (merged into one).
   Diacritic-insensitive: the query is sent as typed, then folded (marks removed, đ → d)
   against the folded twins of every page; exact matches are listed first. */
const box = document.getElementById("search-results");
const form = document.getElementById("search-form");
const status = document.getElementById("search-status");
const list = document.getElementById("search-list");
const more = document.getElementById("search-more");
const PAGE = 10;

/** Same folding as plugins/portal_core/text.py: lower-case, no marks, đ → d, single spaces. */
export function fold(text) {
  return text
    .replace(/[đĐ]/g, (c) => (c === "đ" ? "d" : "D"))
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

function message(name, values) {
  let text = box.dataset["msg" + name[0].toUpperCase() + name.slice(1)] || "";
  for (const [key, value] of Object.entries(values || {})) {
    text = text.replace(`%(${key})s`, value);
  }
  return text;
}

function stripFragment(url) {
  return url.split("#")[0];
}

/**
 * Pages in display order without loading them all: the exact-diacritics matches first,
 * then the folded ones. A folded twin of a page already listed is skipped when its data
 * is loaded; since every exact match's twin also matches the folded query, the folded
 * result count is the number of distinct pages.
 */
export function createFeed(exact, folded, seen = new Set()) {
  const queue = [...exact, ...folded];
  let next = 0;
  return async function take(count) {
    const batch = [];
    while (batch.length < count && next < queue.length) {
      const slice = queue.slice(next, next + count - batch.length);
      next += slice.length;
      for (const data of await Promise.all(slice.map((r) => r.data()))) {
        const key = stripFragment(data.url);
        if (seen.has(key)) continue;
        seen.add(key);
        batch.push(data);
      }
    }
    return { batch, done: next >= queue.length };
  };
}

function render(data) {
  const li = document.createElement("li");
  li.className = "search-item";
  const h = document.createElement("h2");
  h.className = "search-title";
  const a = document.createElement("a");
  a.href = box.dataset.base + stripFragment(data.url);
  a.textContent = data.meta.title || data.url;
  h.append(a);
  li.append(h);
  if (data.meta.date) {
    const p = document.createElement("p");
    p.className = "meta";
    p.textContent = data.meta.date;
    li.append(p);
  }
  const p = document.createElement("p");
  p.className = "summary";
  if (data.meta.folded) {
    p.textContent = data.meta.summary || "";
  } else {
    /* Pagefind's excerpt is escaped text with <mark> around the matches. */
    p.innerHTML = data.excerpt;
  }
  li.append(p);
  return li;
}

async function run(pagefind, query, filters) {
  list.replaceChildren();
  more.hidden = true;
  if (!query) {
    status.textContent = message("empty");
    return;
  }
  status.textContent = message("searching");
  /* Real pages carry the filter version=exact, their folded twins version=folded. */
  const foldedQuery = fold(query);
  const accented = foldedQuery !== query.toLowerCase().replace(/\s+/g, " ").trim();
  const exact = accented
    ? (await pagefind.search(query, { filters: { ...filters, version: "exact" } })).results
    : [];
  const folded = (await pagefind.search(foldedQuery, { filters: { ...filters, version: "folded" } })).results;
  const total = Math.max(folded.length, exact.length);
  status.textContent = total
    ? message("count", { count: total, query })
    : message("none", { query });
  const take = createFeed(exact, folded);
  const showMore = async () => {
    const first = list.children.length;
    const { batch, done } = await take(PAGE);
    batch.forEach((data) => list.append(render(data)));
    more.hidden = done;
    if (first > 0 && list.children[first]) list.children[first].querySelector("a").focus();
  };
  more.textContent = message("more");
  more.onclick = showMore;
  await showMore();
}

/**
 * The index is split into several Pagefind bundles (one per year of the posts, one for
 * the other pages), listed in bundles.json. The first is loaded; the others are merged
 * into it, so one search covers them all and filters apply in each.
 */
async function loadBundles(base) {
  const response = await fetch(base + "bundles.json");
  if (!response.ok) throw new Error(`bundles.json: ${response.status}`);
  const names = (await response.json()).bundles;
  if (!names.length) throw new Error("no search bundle");
  const pagefind = await import(base + names[0] + "/pagefind.js");
  await pagefind.options({ baseUrl: "/" });
  for (const name of names.slice(1)) {
    await pagefind.mergeIndex(base + name + "/", { baseUrl: "/" });
  }
  return pagefind;
}

async function start() {
  if (!box || !form) return;
  const params = new URLSearchParams(window.location.search);
  const query = (params.get("q") || "").trim();
  const unit = params.get("don-vi") || "";
  const category = params.get("chuyen-muc") || "";
  form.elements.q.value = query;
  form.elements["don-vi"].value = unit;
  form.elements["chuyen-muc"].value = category;
  const filters = {};
  if (unit) filters.unit = unit;
  if (category) filters.category = category;
  let pagefind;
  try {
    pagefind = await loadBundles(box.dataset.bundle);
  } catch (error) {
    status.textContent = message("error");
    box.dataset.state = "error";
    return;
  }
  try {
    await run(pagefind, query, filters);
    box.dataset.state = "done";
  } catch (error) {
    status.textContent = message("error");
    box.dataset.state = "error";
  }
}

start();
