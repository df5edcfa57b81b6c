/* Search across indicators, in the browser: the index is window.HYOKA_SEARCH (search-index.js). */
(function () {
  "use strict";
  var script = document.currentScript;
  var root = script.getAttribute("data-root") || "";
  var form = document.querySelector("form.search");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var index = (window.HYOKA_SEARCH || []).map(function (r) {
    return { r: r, text: norm([r.id, r.name, r.path, r.plan].join(" ")) };
  });

  function norm(s) {
    return (s || "").normalize("NFKC").toLowerCase();
  }

  function show(query) {
    var terms = norm(query).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!terms.length) {
      status.textContent = status.getAttribute("data-empty");
      return;
    }
    var found = index.filter(function (e) {
      return terms.every(function (t) { return e.text.indexOf(t) !== -1; });
    });
    status.textContent = found.length + " " + status.getAttribute("data-found");
    found.slice(0, 200).forEach(function (e) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + e.r.page;
      a.textContent = e.r.name;
      a.lang = "ja";
      li.appendChild(a);
      if (e.r.rate !== null && e.r.rate !== undefined) {
        li.appendChild(document.createTextNode(" " + e.r.rate + "%" + (e.r.judgement ? " " + e.r.judgement : "")));
      }
      var where = document.createElement("span");
      where.className = "where";
      where.lang = "ja";
      where.textContent = e.r.plan + " › " + e.r.path;
      li.appendChild(where);
      list.appendChild(li);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url);
  });
  input.addEventListener("input", function () { show(input.value); });
  var initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  if (initial) { show(initial); }
})();
