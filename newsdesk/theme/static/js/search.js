// The search page: Pagefind's index for this page's edition, Serbian endings stripped first.
// The index comes in shards (listed in shards.json beside them), merged into one search. Pages
// edited since their shard was made are in the "recent" bundle; their old versions, still in
// the shard, are listed as superseded and left out.
const script = document.currentScript || document.querySelector("script[data-bundles]");
const config = script.dataset;
const endings = (config.endings || "").split(" ").filter(Boolean);
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");

function stem(word) {
  for (const ending of endings) {
    if (word.length - ending.length >= 3 && word.endsWith(ending)) {
      return word.slice(0, -ending.length);
    }
  }
  return word;
}

function text(template, query) {
  return template.replace("{query}", query);
}

let loaded = null;
let superseded = {};

async function load() {
  const response = await fetch(`${config.bundles}shards.json`);
  const manifest = await response.json();
  const bundles = manifest.bundles;
  superseded = manifest.superseded || {};
  // Each edition's bundles live under its prefix, but its page URLs start at the site root.
  const baseUrl = new URL(config.base, location.href).pathname;
  if (!bundles.length) {
    return null;
  }
  const pagefind = await import(`${config.bundles}${bundles[0]}pagefind.js`);
  await pagefind.options({ baseUrl });
  for (const bundle of bundles.slice(1)) {
    await pagefind.mergeIndex(`${config.bundles}${bundle}`, { baseUrl });
  }
  return pagefind;
}

// The first `count` results that are current: not an old version of a page (its id and URL
// listed as superseded), nor a page already listed (unchanged, it is in two bundles).
async function current(found, count) {
  const results = [];
  const urls = new Set();
  for (let start = 0; start < found.length && results.length < count; start += count) {
    const batch = found.slice(start, start + count);
    const data = await Promise.all(batch.map((r) => r.data()));
    batch.forEach((r, i) => {
      const url = data[i].raw_url;
      if (superseded[r.id] !== url && !urls.has(url) && results.length < count) {
        urls.add(url);
        results.push(data[i]);
      }
    });
  }
  return results;
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) {
    status.textContent = "";
    return;
  }
  loaded = loaded || load();
  const pagefind = await loaded;
  if (!pagefind) {
    status.textContent = text(config.none, query);
    return;
  }
  const terms = query.toLocaleLowerCase().split(/\s+/).filter(Boolean).map(stem).join(" ");
  const search = await pagefind.search(terms);
  const results = await current(search.results, 20);
  status.textContent = text(results.length ? config.found : config.none, query);
  for (const result of results) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = result.url;
    link.textContent = result.meta.title;
    const excerpt = document.createElement("p");
    excerpt.innerHTML = result.excerpt;  // Pagefind's excerpt of our own page, with <mark>
    item.append(link, excerpt);
    list.append(item);
  }
}

const query = new URLSearchParams(location.search).get("q") || "";
input.value = query;
run(query);
