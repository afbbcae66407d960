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
  window.OpenSTP = { render: render, update: update };
  document.addEventListener("DOMContentLoaded", function () { render(document); });
}());
