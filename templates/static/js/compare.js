// The side-by-side country picker on the comparison page (?c=kr,fr,sg): indicator rows
// first, then one row per dimension. Kept apart from site.js, so the pages that only
// sort tables do not load it. No framework, no external requests.
(function () {
  "use strict";
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
      // The language switch keeps the reader's choice: /compare/?c=kr,fr becomes /en/compare/?c=kr,fr.
      var lang_switch = document.querySelector("a.lang-switch");
      if (lang_switch) {
        var other = new URL(lang_switch.getAttribute("href"), window.location.href);
        other.search = url.search;
        lang_switch.setAttribute("href", other.pathname + other.search.replace(/%2C/g, ","));
      }
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
      // Indicators first: figures of one kind, each with chips saying its status, sector and period.
      (data.indicators || []).forEach(function (ind) {
        var row = body.insertRow();
        row.className = "indicator-row";
        var th = document.createElement("th");
        th.scope = "row";
        var link = document.createElement("a");
        link.href = document.body.getAttribute("data-root") + ind.url;
        link.textContent = ind.label;
        th.appendChild(link);
        row.appendChild(th);
        codes.forEach(function (code) {
          var cell = (byCode[code].indicators || {})[ind.id];
          var td = row.insertCell();
          if (!cell) return;
          var value = document.createElement("span");
          value.className = "ind-value" + (cell.known ? "" : " unknown");
          value.textContent = cell.text;
          td.appendChild(value);
          if (cell.chips.length) {
            var chips = document.createElement("span");
            chips.className = "chips";
            cell.chips.forEach(function (c) {
              var chip = document.createElement("span");
              chip.className = "chip chip-" + c.kind;
              chip.setAttribute("data-value", c.value);
              chip.textContent = c.text;
              chips.appendChild(chip);
            });
            td.appendChild(chips);
          }
          if (cell.details.length) {
            var list = document.createElement("ul");
            list.className = "ind-details";
            cell.details.forEach(function (line) { var li = document.createElement("li"); li.textContent = line; list.appendChild(li); });
            td.appendChild(list);
          }
        });
      });
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

  var picker = document.getElementById("picker");
  if (picker) setupPicker(picker);
})();
