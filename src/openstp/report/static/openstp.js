/* Draw every chart on the page from the JSON beside it (no inline scripts, works offline). */
(function () {
  "use strict";
  function render(root) {
    if (!window.Plotly) { return; }
    (root || document).querySelectorAll("script.chart-spec").forEach(function (el) {
      var target = document.getElementById(el.getAttribute("data-for"));
      if (!target) { return; }
      var spec = JSON.parse(el.textContent);
      window.Plotly.newPlot(target, spec.data, spec.layout, spec.config);
    });
  }
  function update(id, spec) {
    var target = document.getElementById(id);
    if (target && window.Plotly) { window.Plotly.react(target, spec.data, spec.layout, spec.config); }
  }
  function sortBy(table, column, button) {
    var th = button.parentNode;
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach(function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    function key(row) {
      var cell = row.cells[column];
      var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
      var number = parseFloat(raw);
      return isNaN(number) || raw === "" ? raw.toLowerCase() : number;
    }
    rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      if (typeof x !== typeof y) { return typeof x === "number" ? -1 : 1; }
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  function sortable(root) {
    (root || document).querySelectorAll("table.sortable").forEach(function (table) {
      table.querySelectorAll("thead th button.sort-button").forEach(function (button, i) {
        button.addEventListener("click", function () { sortBy(table, i, button); });
      });
    });
  }
  window.OpenSTP = { render: render, update: update, sortable: sortable };
  document.addEventListener("DOMContentLoaded", function () { render(document); sortable(document); });
}());
