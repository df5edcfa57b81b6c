// hyoka: small enhancements; every page works without them.
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit], input[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });

  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }
  function span(className, text) {
    var s = document.createElement("span");
    s.className = className;
    s.textContent = text;
    return s;
  }

  // What the server's core makes of a value as it is typed: the figure as read, the rate, the judgement, the warnings.
  // *fields* gives a value form's inputs (the value page's form, or a row of the grid); *show* receives the answer.
  window.hyokaPreview = function (url, fields, show) {
    var params = new URLSearchParams();
    Object.keys(fields).forEach(function (name) { params.set(name, fields[name]); });
    return fetch(url + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(show);
  };

  window.hyokaShowPreview = function (out, data) {
    clear(out);
    out.classList.toggle("bad", !data.ok);
    if (!data.ok) {
      Object.keys(data.errors || {}).forEach(function (k) { out.appendChild(span("problem", data.errors[k].join(" "))); });
      return;
    }
    if (data.reading) { out.appendChild(span("reading", data.reading)); }
    if (data.rate_text) { out.appendChild(span("rate", data.rate_text)); }
    var named = (data.judgements || []).map(function (j) { return " " + j.title + ": " + j.symbol + " " + j.label; }).join("");
    out.appendChild(span("explain", data.explanation + (data.judgement ? " " + data.judgement.symbol + " " + data.judgement.label : "") + named));
  };

  window.hyokaShowWarnings = function (box, warnings) {
    if (!box) { return; }
    var list = box.querySelector(".warnlist");
    clear(list);
    (warnings || []).forEach(function (w) { var li = document.createElement("li"); li.textContent = w; list.appendChild(li); });
    box.classList.toggle("hidden", !warnings || warnings.length === 0);
  };

  document.querySelectorAll("form[data-preview]").forEach(function (form) {
    var out = form.querySelector(".preview");
    var box = form.querySelector(".warnings");
    var timer = null;
    function update() {
      var fields = {};
      ["part", "year", "value", "status", "expected"].forEach(function (name) {
        if (form.elements[name]) { fields[name] = form.elements[name].value; }
      });
      window.hyokaPreview(form.dataset.preview, fields, function (data) {
        window.hyokaShowPreview(out, data);
        window.hyokaShowWarnings(box, data.warnings);
      });
    }
    form.addEventListener("input", function (e) {
      if (e.target.name === "confirm") { return; }
      clearTimeout(timer); timer = setTimeout(update, 250);
    });
    form.addEventListener("change", function (e) { if (e.target.name !== "confirm") { update(); } });
  });
})();

// 「前年度の記載をコピー」: last year's bullets into this year's boxes, to edit before saving (the link reloads without the script).
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-previous]").forEach(function (link) {
    link.addEventListener("click", function (e) {
      var source = document.getElementById(link.dataset.copyPrevious);
      var form = link.closest("form") || document.getElementById(link.dataset.form);
      if (!source || !form) { return; }
      e.preventDefault();
      var lists = source.querySelectorAll("ul.bullets");
      ["results", "issues"].forEach(function (name, i) {
        var items = Array.prototype.map.call(lists[i].querySelectorAll("li"), function (li) { return li.textContent; });
        form.elements[name].value = items.join("\n");
        form.elements[name].dispatchEvent(new Event("input", { bubbles: true }));
      });
      form.elements.results.focus();
    });
  });
})();

// The grid pages: each row (or initiative) is saved by itself, its answer shown in the row.
(function () {
  "use strict";
  var grid = document.querySelector("[data-grid]");
  var texts = document.querySelectorAll("form[data-texts]");
  if (!grid && texts.length === 0) { return; }
  var words = document.documentElement.lang === "en"
    ? { saved: "Saved", same: "No change", conflict: "Someone else saved this first. Stored now: ", mine: "Yours: ", overwrite: "Save mine over it", failed: "Not saved" }
    : { saved: "保存しました", same: "変更はありません", conflict: "他の人が先に保存しました。いまの内容: ", mine: "あなたの入力: ", overwrite: "自分の入力で上書きする", failed: "保存できませんでした" };

  function say(box, text, bad) {
    box.textContent = text;
    box.classList.toggle("bad", !!bad);
  }

  function clearErrors(root) {
    root.querySelectorAll(".field-errors").forEach(function (e) { e.remove(); });
    root.querySelectorAll("[aria-invalid]").forEach(function (e) { e.removeAttribute("aria-invalid"); });
  }

  function showErrors(form, errors) {
    Object.keys(errors).forEach(function (name) {
      var field = form.elements[name];
      var list = document.createElement("ul");
      list.className = "errorlist field-errors";
      list.id = (field && field.id ? field.id : form.id + "-" + name) + "_errors";
      errors[name].forEach(function (m) { var li = document.createElement("li"); li.textContent = m; list.appendChild(li); });
      if (field && field.parentNode) {
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", list.id);
        field.parentNode.appendChild(list);
      } else {
        form.parentNode.appendChild(list);
      }
    });
  }

  // Post a row's form as the server's JSON answer: saved, refused (beside the fields), or a conflict to resolve.
  function save(form, scope, result, warnings) {
    clearErrors(scope);
    say(result, "…");
    return fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (data) { return { status: r.status, data: data }; }); })
      .then(function (answer) {
        var data = answer.data;
        if (data.ok) {
          form.elements.base.value = data.base;
          scope.classList.remove("dirty");
          if (warnings) { window.hyokaShowWarnings(warnings, []); if (form.elements.confirm) { form.elements.confirm.checked = false; } }
          say(result, data.changed ? words.saved : words.same);
          return true;
        }
        if (data.conflict) {
          say(result, words.conflict + data.conflict.stored + " / " + words.mine + data.conflict.mine, true);
          var again = document.createElement("button");
          again.type = "button";
          again.className = "btn small warn";
          again.textContent = words.overwrite;
          again.addEventListener("click", function () { form.elements.base.value = data.conflict.base; again.remove(); save(form, scope, result, warnings); });
          result.appendChild(again);
          return false;
        }
        say(result, words.failed, true);
        if (warnings) { window.hyokaShowWarnings(warnings, data.warnings || []); }
        showErrors(form, data.errors || {});
        return false;
      })
      .catch(function () { say(result, words.failed, true); return false; });
  }

  if (grid) {
    var rows = Array.prototype.slice.call(grid.querySelectorAll("tr[data-row]"));
    var saveAll = document.querySelector("[data-save-all]");
    if (saveAll) { saveAll.hidden = false; }
    rows.forEach(function (row, index) {
      var form = document.getElementById(row.dataset.row);
      if (!form) { return; }
      var result = row.querySelector(".row-result");
      var warnings = row.querySelector(".row-warnings");
      var rate = row.querySelector(".rate");
      var timer = null;
      form.addEventListener("submit", function (e) { e.preventDefault(); save(form, row, result, warnings); });
      function preview() {
        var fields = { part: form.elements.part.value, year: form.elements.year.value };
        ["value", "status", "expected"].forEach(function (name) { fields[name] = form.elements[name].value; });
        window.hyokaPreview(row.dataset.preview, fields, function (data) {
          rate.textContent = data.ok ? (data.rate_text || "") : "";
          rate.title = data.ok ? data.explanation : "";
          window.hyokaShowWarnings(warnings, data.ok ? data.warnings : []);
        });
      }
      row.addEventListener("input", function (e) {
        if (e.target.name === "confirm") { return; }
        row.classList.add("dirty");
        clearTimeout(timer); timer = setTimeout(preview, 250);
      });
      // ↑ and ↓ move to the same column of the row above or below, as in a spreadsheet.
      row.addEventListener("keydown", function (e) {
        if ((e.key !== "ArrowUp" && e.key !== "ArrowDown") || e.target.tagName === "TEXTAREA" || e.target.tagName === "SELECT") { return; }
        var cell = e.target.closest("td[data-col]");
        var next = rows[index + (e.key === "ArrowUp" ? -1 : 1)];
        var target = cell && next ? next.querySelector('td[data-col="' + cell.dataset.col + '"] input, td[data-col="' + cell.dataset.col + '"] select, td[data-col="' + cell.dataset.col + '"] textarea') : null;
        if (target) { e.preventDefault(); target.focus(); }
      });
    });
    if (saveAll) {
      saveAll.addEventListener("click", function () {
        rows.filter(function (row) { return row.classList.contains("dirty"); }).reduce(function (done, row) {
          return done.then(function () {
            return save(document.getElementById(row.dataset.row), row, row.querySelector(".row-result"), row.querySelector(".row-warnings"));
          });
        }, Promise.resolve());
      });
    }
  }

  texts.forEach(function (form) {
    var result = form.querySelector(".row-result");
    form.addEventListener("submit", function (e) { e.preventDefault(); save(form, form, result, null); });
  });
})();
