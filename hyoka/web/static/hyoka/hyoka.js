// hyoka: small enhancements; every page works without them.
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit], input[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // Live rate preview: the server's core parses the value and computes the rate as people type.
  document.querySelectorAll("form[data-preview]").forEach(function (form) {
    var out = form.querySelector(".preview");
    var timer = null;
    function update() {
      var params = new URLSearchParams();
      ["part", "year", "value", "status", "expected"].forEach(function (name) {
        var field = form.elements[name];
        if (field) { params.set(name, field.value); }
      });
      fetch(form.dataset.preview + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          out.classList.toggle("bad", !data.ok);
          out.textContent = "";
          if (!data.ok) { out.textContent = data.problems.join(" "); return; }
          if (data.rate !== null) {
            var rate = document.createElement("span");
            rate.className = "rate";
            rate.textContent = data.rate + "%";
            out.appendChild(rate);
          }
          var text = document.createElement("span");
          text.className = "explain";
          var named = (data.judgements || []).map(function (j) { return " " + j.title + ": " + j.symbol + " " + j.label; }).join("");
          text.textContent = data.explanation + (data.judgement ? " " + data.judgement.symbol + " " + data.judgement.label : "") + named;
          out.appendChild(text);
        });
    }
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 250); });
    form.addEventListener("change", update);
  });
})();
