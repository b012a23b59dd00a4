// sovereign-site: small enhancements on top of pages that work without JavaScript.
//  * sortable tables (table[data-sortable]);
//  (the side-by-side country picker is compare.js, loaded only on the comparison page).
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

  document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
})();
