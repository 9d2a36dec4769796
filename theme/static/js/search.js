/* Search page: queries the Pagefind bundles built by plugins/search (merged into one).
   Diacritic-insensitive: Pagefind indexes every word without its marks too, and each page
   lists its words with đ folded in the metadata "folded-d" (đ is a letter of its own, not
   d with a mark), so the folded query (marks removed, đ → d) finds them all; a query typed
   with marks lists first the pages that have them as typed (Pagefind's exactDiacritics).
   Precise first: pages that contain every query word whole (as typed or folded) are the
   results; Pagefind's partial matches (words that begin with, or are the start of, a
   query word: "pha" → "phát", "giaothongxanh" → "giao"; Pagefind issue #599) wait behind
   a "more, approximate" control, each group with its count. */
const box = document.getElementById("search-results");
const form = document.getElementById("search-form");
const status = document.getElementById("search-status");
const list = document.getElementById("search-list");
const more = document.getElementById("search-more");
const approxBox = document.getElementById("search-approx");
const approxTitle = document.getElementById("search-approx-title");
const approxList = document.getElementById("search-approx-list");
const approxMore = document.getElementById("search-approx-more");
const approxShow = document.getElementById("search-approx-show");
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

/** Punctuation Pagefind drops from a query (its coupled_search.ts), and quotes. */
const PUNCTUATION = /[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu;

/** The words of a query as Pagefind reads them: lower-case, punctuation dropped. */
export function queryWords(text) {
  return text
    .toLowerCase()
    .split(/\s+/)
    .map((word) => word.replace(PUNCTUATION, ""))
    .filter(Boolean);
}

/**
 * The pages of ``results`` that contain every word whole: one quoted (exact) Pagefind
 * search per word, which takes no longer or shorter word for it, intersected.
 * ``results`` keep Pagefind's order; the rest are its partial matches.
 */
export async function splitWhole(pagefind, results, words, filters) {
  if (!words.length) return { whole: [], partial: results };
  let keep = null;
  for (const word of words) {
    const found = (await pagefind.search(`"${word}"`, { filters })).results;
    const ids = new Set(found.map((r) => r.id));
    keep = keep === null ? ids : new Set([...keep].filter((id) => ids.has(id)));
    if (!keep.size) break;
  }
  return {
    whole: results.filter((r) => keep.has(r.id)),
    partial: results.filter((r) => !keep.has(r.id)),
  };
}

/**
 * Pages in display order without loading them all: the exact-diacritics matches first,
 * then the folded ones. A page already listed is skipped when its data is loaded; since
 * every exact match also matches the folded query, the folded result count is the number
 * of distinct pages.
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

/**
 * Mark in ``element`` (an excerpt: text and <mark>) the words with đ that a folded query
 * word begins: Pagefind found the page by its list of such words (metadata "folded-d"),
 * not by the word in its text, so it did not mark it ("duong" finds "Đường").
 */
export function markDWords(element, words) {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) {
    if (!walker.currentNode.parentElement.closest("mark")) nodes.push(walker.currentNode);
  }
  for (const node of nodes) {
    const parts = node.textContent.split(/([\p{L}\p{M}\p{N}]+)/u);
    const marked = parts.map(
      (part) => /[đĐ]/.test(part) && words.some((word) => fold(part).startsWith(word)),
    );
    if (!marked.includes(true)) continue;
    const fragment = document.createDocumentFragment();
    parts.forEach((part, i) => {
      if (marked[i]) {
        const mark = document.createElement("mark");
        mark.textContent = part;
        fragment.append(mark);
      } else if (part) {
        fragment.append(part);
      }
    });
    node.replaceWith(fragment);
  }
}

/** A result; ``words``: the folded query words that begin with d (``markDWords``). */
function render(data, words) {
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
  /* Pagefind's excerpt is escaped text with <mark> around the matches. */
  p.innerHTML = data.excerpt;
  markDWords(p, words);
  li.append(p);
  return li;
}

/** A paged list: ``take`` feeds it, ``button`` shows the next page while there is one. */
function pager(target, button, take, words) {
  return async function showMore() {
    const first = target.children.length;
    const { batch, done } = await take(PAGE);
    batch.forEach((data) => target.append(render(data, words)));
    button.textContent = message("more");
    button.hidden = done;
    if (first > 0 && target.children[first]) target.children[first].querySelector("a").focus();
  };
}

async function run(load, query, filters) {
  list.replaceChildren();
  approxList.replaceChildren();
  more.hidden = approxShow.hidden = approxBox.hidden = approxMore.hidden = true;
  if (!query) {
    status.textContent = message("empty");
    return;
  }
  status.textContent = message("searching");
  const foldedQuery = fold(query);
  const dWords = queryWords(foldedQuery).filter((word) => word.startsWith("d"));
  const accented = foldedQuery !== query.toLowerCase().replace(/\s+/g, " ").trim();
  let exact = [];
  if (accented) {
    const pagefind = await load(true);
    const found = (await pagefind.search(query, { filters })).results;
    exact = (await splitWhole(pagefind, found, queryWords(query), filters)).whole;
  }
  const pagefind = await load(false);
  const folded = await splitWhole(
    pagefind,
    (await pagefind.search(foldedQuery, { filters })).results,
    queryWords(foldedQuery),
    filters,
  );
  /* An exact match is a folded match too: the folded results count the pages. */
  const wholeCount = Math.max(folded.whole.length, exact.length);
  const approxCount = folded.partial.length;
  const seen = new Set();
  const showApprox = pager(approxList, approxMore, createFeed([], folded.partial, seen), dWords);
  approxMore.onclick = showApprox;
  approxTitle.textContent = message("approxTitle", { count: approxCount });
  box.dataset.whole = String(wholeCount);
  box.dataset.approximate = String(approxCount);
  if (!wholeCount) {
    status.textContent = approxCount
      ? message("onlyApprox", { count: approxCount, query })
      : message("none", { query });
    if (approxCount) {
      approxBox.hidden = false;
      await showApprox();
    }
    return;
  }
  status.textContent = message("count", { count: wholeCount, query });
  const showMore = pager(list, more, createFeed(exact, folded.whole, seen), dWords);
  more.onclick = showMore;
  await showMore();
  if (approxCount) {
    approxShow.textContent = message("approxShow", { count: approxCount });
    approxShow.setAttribute("aria-expanded", "false");
    approxShow.hidden = false;
    approxShow.onclick = async () => {
      approxShow.hidden = true;
      approxShow.setAttribute("aria-expanded", "true");
      approxBox.hidden = false;
      await showApprox();
      approxTitle.focus();
    };
  }
}

/**
 * The index is split into several Pagefind bundles (one per year of the posts, one for
 * the other pages), listed in bundles.json. The first is loaded; the others are merged
 * into it, so one search covers them all and filters apply in each. ``exact``: a search
 * instance that tells marks apart (Pagefind sets it per instance, for every bundle).
 */
async function loadBundles(base, names, exact) {
  const first = base + names[0] + "/";
  const module = await import(first + "pagefind.js");
  const options = { baseUrl: "/", exactDiacritics: exact };
  const pagefind = module.createInstance({ ...options, basePath: first });
  for (const name of names.slice(1)) {
    await pagefind.mergeIndex(base + name + "/", options);
  }
  return pagefind;
}

/** ``load(exact)``: the search instance of that kind, made once when first needed. */
async function bundleLoader(base) {
  const response = await fetch(base + "bundles.json");
  if (!response.ok) throw new Error(`bundles.json: ${response.status}`);
  const names = (await response.json()).bundles;
  if (!names.length) throw new Error("no search bundle");
  const made = new Map();
  return (exact) => {
    if (!made.has(exact)) made.set(exact, loadBundles(base, names, exact));
    return made.get(exact);
  };
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
  let load;
  try {
    load = await bundleLoader(box.dataset.bundle);
    await load(false); /* the folded search runs for every query: loaded at once */
  } catch (error) {
    status.textContent = message("error");
    box.dataset.state = "error";
    return;
  }
  try {
    await run(load, query, filters);
    box.dataset.state = "done";
  } catch (error) {
    status.textContent = message("error");
    box.dataset.state = "error";
  }
}

start();
