// sovereign-site: small enhancements on top of pages that work without JavaScript.
//  * sortable tables (table[data-sortable]);
//  * the side-by-side country picker on the comparison page (?c=kr,fr,sg).
// No framework, no external requests: everything comes from this site.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "ko";

  // --- Sortable tables -------------------------------------------------------
  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var v = cell.getAttribute("data-sort");
    return v !== null ? v : cell.textContent.trim();
  }

  function makeSortable(table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head || !table.tBodies[0]) return;
    var label = table.getAttribute("data-msg-sort") || "{col}";
    Array.prototype.forEach.call(head.cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      if (th.querySelector("a, button, input")) {
        // A heading that links somewhere keeps its link; sorting gets its own
        // small button beside it (controls must not nest).
        button.setAttribute("aria-label", label.replace("{col}", th.textContent.trim()));
        button.classList.add("sort-only");
      } else {
        while (th.firstChild) button.appendChild(th.firstChild);
      }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(head.cells, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var numeric = rows.every(function (r) { var v = cellValue(r, index); return v === "" || !isNaN(parseFloat(v)) && isFinite(v); });
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          var result = numeric ? (parseFloat(x || "-1") - parseFloat(y || "-1")) : x.localeCompare(y, lang);
          return ascending ? result : -result;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  // --- Country picker ------------------------------------------------------------
  function setupPicker(section) {
    var matrix = document.getElementById("matrix");
    var boxes = Array.prototype.slice.call(section.querySelectorAll("input[name=c]"));
    var status = section.querySelector(".picker-status");
    var result = section.querySelector(".picker-result");
    var data = null;
    section.hidden = false;

    // Columns follow the order the reader picked (and the permalink's order).
    var order = [];
    function chosen() {
      order = order.filter(function (code) { return boxes.some(function (b) { return b.value === code && b.checked; }); });
      boxes.forEach(function (b) { if (b.checked && order.indexOf(b.value) === -1) order.push(b.value); });
      return order.slice();
    }

    function render() {
      var codes = chosen();
      boxes.forEach(function (b) { b.disabled = !b.checked && codes.length >= 4; });
      var url = new URL(window.location.href);
      if (codes.length) url.searchParams.set("c", codes.join(",")); else url.searchParams.delete("c");
      window.history.replaceState(null, "", url.pathname + url.search.replace(/%2C/g, ",") + url.hash);
      result.textContent = "";
      if (codes.length < 2 || !data) {
        status.textContent = codes.length ? section.getAttribute("data-msg-min") : "";
        result.hidden = true;
        if (matrix) matrix.hidden = false;
        return;
      }
      status.textContent = codes.length >= 4 ? section.getAttribute("data-msg-limit") : "";
      var byCode = {};
      data.countries.forEach(function (c) { byCode[c.code] = c; });
      var table = document.createElement("table");
      table.className = "data side-by-side";
      var head = table.createTHead().insertRow();
      var corner = document.createElement("th");
      corner.scope = "col";
      corner.textContent = section.getAttribute("data-msg-dimension");
      head.appendChild(corner);
      codes.forEach(function (code) {
        var th = document.createElement("th");
        th.scope = "col";
        th.setAttribute("data-code", code);
        var a = document.createElement("a");
        a.href = document.body.getAttribute("data-root") + byCode[code].url;
        a.textContent = byCode[code].name;
        th.appendChild(a);
        head.appendChild(th);
      });
      var body = table.createTBody();
      data.dimensions.forEach(function (d) {
        var row = body.insertRow();
        var th = document.createElement("th");
        th.scope = "row";
        th.textContent = d.label;
        row.appendChild(th);
        codes.forEach(function (code) {
          var cell = byCode[code].cells[d.id];
          var td = row.insertCell();
          td.className = "state-" + cell.state;
          var a = document.createElement("a");
          a.href = document.body.getAttribute("data-root") + byCode[code].url + "#dim-" + d.id;
          a.textContent = cell.text;
          td.appendChild(a);
        });
      });
      result.appendChild(table);
      result.hidden = false;
      if (matrix) matrix.hidden = true;
    }

    var wanted = (new URL(window.location.href).searchParams.get("c") || "").toLowerCase().split(",").filter(Boolean).slice(0, 4);
    boxes.forEach(function (b) { b.checked = wanted.indexOf(b.value) !== -1; b.addEventListener("change", render); });
    order = wanted.filter(function (code) { return boxes.some(function (b) { return b.value === code; }); });
    fetch(section.getAttribute("data-json"))
      .then(function (response) { return response.json(); })
      .then(function (json) { data = json; render(); })
      .catch(function () { section.hidden = true; });
  }

  document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
  var picker = document.getElementById("picker");
  if (picker) setupPicker(picker);
})();
