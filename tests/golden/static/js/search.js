// Search with Pagefind, tuned for Korean.
// Pagefind matches by word prefix, so "독파모를" would miss pages that only say
// "독파모는". We strip common trailing particles (조사) from Korean words before
// querying, so a query is matched the way a Korean reader types it.
(function () {
  "use strict";
  // Longest first, so "에서는" is removed before "는".
  var PARTICLES = ["에서부터", "으로부터", "로부터", "에서는", "에게서", "한테서", "으로는", "으로도", "이라는", "이라고",
    "에서도", "까지는", "부터는", "에서", "에게", "한테", "으로", "까지", "부터", "처럼", "보다", "마다", "이나", "이란", "라는",
    "라고", "과는", "와는", "에는", "에도", "의", "은", "는", "이", "가", "을", "를", "에", "와", "과", "도", "만", "로", "나", "란"];

  function normaliseWord(word) {
    if (!/[가-힣]$/.test(word)) return word;
    for (var i = 0; i < PARTICLES.length; i++) {
      var p = PARTICLES[i];
      // Keep at least two syllables of stem, so "나라" or "이가" are not cut to nothing.
      if (word.length - p.length >= 2 && word.slice(-p.length) === p) return word.slice(0, -p.length);
    }
    return word;
  }

  function normalise(query) {
    return query.normalize("NFC").trim().split(/\s+/).map(normaliseWord).join(" ");
  }
  window.sovereignNormaliseQuery = normalise;

  var results = document.getElementById("search-results");
  if (!results) return;
  var params = new URL(window.location.href).searchParams;
  var query = (params.get("q") || "").trim();
  var input = document.getElementById("search-q");
  if (input) input.value = query;
  if (!query) return;
  // The language switch keeps the query: the same search in the other language.
  var other = document.querySelector("a.lang-switch");
  if (other) {
    var target = new URL(other.href);
    target.searchParams.set("q", query);
    other.href = target.pathname + target.search;
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  results.textContent = results.getAttribute("data-msg-loading");
  results.setAttribute("aria-busy", "true");
  import(results.getAttribute("data-pagefind")).then(function (pagefind) {
    return pagefind.options({ excerptLength: 24 }).then(function () {
      return pagefind.search(normalise(query));
    }).then(function (search) {
      return Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
    });
  }).then(function (items) {
    results.textContent = "";
    results.removeAttribute("aria-busy");
    var summary = document.createElement("p");
    summary.textContent = format(results.getAttribute(items.length ? "data-msg-results" : "data-msg-none"), { q: query, n: items.length });
    results.appendChild(summary);
    var list = document.createElement("ol");
    items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = (item.meta && item.meta.title) || item.url;
      li.appendChild(a);
      var p = document.createElement("p");
      // Pagefind's excerpt is HTML-escaped text with <mark> around matches;
      // rebuild it from text nodes so nothing else can become markup.
      var holder = document.createElement("template");
      holder.innerHTML = item.excerpt;
      holder.content.childNodes.forEach(function (node) {
        if (node.nodeName === "MARK") { var m = document.createElement("mark"); m.textContent = node.textContent; p.appendChild(m); }
        else p.appendChild(document.createTextNode(node.textContent));
      });
      li.appendChild(p);
      list.appendChild(li);
    });
    results.appendChild(list);
  }).catch(function (error) {
    results.removeAttribute("aria-busy");
    results.textContent = String(error);
  });
})();
