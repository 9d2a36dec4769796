/* The register of documents (/van-ban/): instant filtering and search over the JSON the
   build writes (plugins/documents, DOCUMENTS_INDEX_SAVE_AS). Without JavaScript the page
   keeps its paginated table and the static filter pages; this script only adds the form.
   A number typed as written ("12/2024/QĐ-UBND", "12/2024", "qd-ubnd") lists that document
   first; words of the abstract are found with or without diacritics. Interface words reach
   the script through data-text-* attributes (the theme's message catalogue). */

/** Same folding as plugins/portal_core/text.py: lower-case, no marks, đ → d, single spaces. */
export function fold(text) {
  return String(text || "")
    .replace(/[đĐ]/g, "d")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** Same as plugins/documents/core.py number_key: folded, no spaces, no leading zeros. */
export function numberKey(text) {
  return fold(text).replace(/ /g, "").replace(/(?<!\d)0+(?=\d)/g, "");
}

/** Validity on `today` (YYYY-MM-DD), as plugins/documents/core.py validity() computes it. */
export function validity(doc, today) {
  if (doc.draft) return "du-thao";
  if (doc.r && doc.r <= today) return "bi-thay-the";
  if (doc.x && doc.x <= today) return "het-hieu-luc";
  if (doc.e > today) return "chua-co-hieu-luc";
  return "con-hieu-luc";
}

/**
 * How well a document answers the query: 0 the number exactly, 1 a number starting with
 * it, 2 a number containing it, 3 the abstract containing the phrase, 4 every word; -1 none.
 */
export function rank(doc, query) {
  const words = fold(query);
  if (!words) return 5;
  const key = numberKey(query);
  if (doc.k) {
    if (doc.k === key) return 0;
    if (/[\d/]/.test(key) && doc.k.startsWith(key)) return 1;
    if (key.length >= 3 && /[\d/-]/.test(key) && doc.k.includes(key)) return 2;
  }
  if (doc.f.includes(words)) return 3;
  const all = words.split(" ");
  if (all.every((w) => doc.f.includes(w) || (doc.k && doc.k.includes(w)))) return 4;
  return -1;
}

/** The documents matching `filters` ({q, loai, nam, ...}), best first, then newest. */
export function select(documents, filters, today) {
  const out = [];
  documents.forEach((doc, order) => {
    for (const kind of ["loai", "nam", "co-quan", "nguoi-ky"]) {
      if (filters[kind] && doc[kind] !== filters[kind]) return;
    }
    if (filters["linh-vuc"] && !doc["linh-vuc"].includes(filters["linh-vuc"])) return;
    if (filters["hieu-luc"] && validity(doc, today) !== filters["hieu-luc"]) return;
    const score = rank(doc, filters.q || "");
    if (score < 0) return;
    out.push([score, order, doc]);
  });
  out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return out.map((item) => item[2]);
}

function todayInVietnam() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }).format(new Date());
}

function dmy(iso) {
  const [y, m, d] = iso.split("-");
  return `${d}/${m}/${y}`;
}

function cell(row, text, href) {
  const td = document.createElement("td");
  if (href) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    td.append(a);
  } else {
    td.textContent = text;
  }
  row.append(td);
  return td;
}

function start(form) {
  const results = document.querySelector("[data-documents-results]");
  const staticPart = document.querySelector("[data-documents-static]");
  const status = form.querySelector("[data-documents-status]");
  const site = form.dataset.siteurl || "";
  const fields = ["q", "loai", "nam", "co-quan", "linh-vuc", "nguoi-ky", "hieu-luc"];
  const current = () => Object.fromEntries(fields.map((n) => [n, form.elements[n]?.value || ""]));
  if (form.dataset.facetKind && form.elements[form.dataset.facetKind]) {
    form.elements[form.dataset.facetKind].value = form.dataset.facetSlug;
  }
  const pageOwn = JSON.stringify(current()); // what the static table already shows
  const params = new URLSearchParams(location.search);
  for (const name of fields) {
    const input = form.elements[name];
    if (input && params.get(name)) input.value = params.get(name);
  }
  form.hidden = false;

  fetch(form.dataset.index)
    .then((response) => {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then((data) => {
      const today = data.fixed_today ? data.today : todayInVietnam();
      const labels = data.labels || {};
      const show = () => {
        const filters = current();
        const own = JSON.stringify(filters) === pageOwn;
        const query = new URLSearchParams();
        if (!own) for (const [k, v] of Object.entries(filters)) if (v) query.set(k, v);
        const search = query.toString();
        history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
        if (own) {
          results.hidden = true;
          staticPart.hidden = false;
          status.textContent = "";
          return;
        }
        const found = select(data.documents, filters, today);
        results.replaceChildren();
        if (found.length) {
          const table = document.querySelector(".document-table").cloneNode(true);
          const body = table.querySelector("tbody");
          body.replaceChildren();
          for (const doc of found) {
            const row = document.createElement("tr");
            const url = `${site}/${doc.u}`;
            cell(row, doc.n || form.dataset.textNoNumber, url).className = "doc-number";
            const time = document.createElement("time");
            time.dateTime = doc.d;
            time.textContent = dmy(doc.d);
            cell(row, "").append(time);
            cell(row, doc.t, url);
            cell(row, doc.type);
            cell(row, doc.issuer);
            const state = validity(doc, today);
            const badge = document.createElement("span");
            badge.className = `validity validity-${state}`;
            badge.textContent = labels[state] || state;
            cell(row, "").append(badge);
            body.append(row);
          }
          const wrap = document.createElement("div");
          wrap.className = "table-wrap";
          wrap.append(table);
          results.append(wrap);
        }
        status.textContent = found.length
          ? form.dataset.textCount.replace("{count}", String(found.length))
          : form.dataset.textNone;
        results.hidden = false;
        staticPart.hidden = true;
      };
      form.addEventListener("input", show);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        show();
      });
      show();
    })
    .catch(() => {
      form.hidden = true; // the static table and filter pages still work
    });
}

if (typeof document !== "undefined") {
  const form = document.querySelector("[data-documents-filter]");
  if (form) start(form);
}
