/* Draws the dashboard charts with Chart.js when it is served (static/vendor/chartjs).
   The same figures are in the tables beside each chart, so without it nothing is lost. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var source = document.getElementById("chart-data");
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    if (typeof window.Chart === "undefined") {
      document.querySelectorAll("canvas").forEach(function (c) { c.hidden = true; });
      return;
    }
    window.distributionCharts = [];
    // The page's language formats the numbers; the series names come translated with the data.
    var fmt = new Intl.NumberFormat(document.documentElement.lang || "id-ID", { maximumFractionDigits: 1 });
    var words = data.words || { actual: "Aktual", required: "Kebutuhan", active: "Penugasan aktif" };
    var common = {
      animation: false,
      responsive: true,
      plugins: { tooltip: { callbacks: { label: function (ctx) {
        var value = ctx.chart.options.indexAxis === "y" ? ctx.parsed.x : ctx.parsed.y;
        return ctx.dataset.label + ": " + fmt.format(value === undefined ? ctx.parsed : value);
      } } } }
    };
    // Cluster names are long ("Tenaga Kesejahteraan Sosial Kecamatan (TKSK)"): under the bars,
    // slanted, they were cut off at the chart's edge. The bars lie across instead, each name
    // beside its bars on lines of at most about 22 characters.
    function wrap(text) {
      var lines = [], line = "";
      text.split(" ").forEach(function (word) {
        if (line && (line + " " + word).length > 22) { lines.push(line); line = word; }
        else { line = line ? line + " " + word : word; }
      });
      if (line) { lines.push(line); }
      return lines;
    }
    var clusters = document.getElementById("chart-clusters");
    if (clusters && data.clusters.length) {
      window.distributionCharts.push(new window.Chart(clusters, {
        type: "bar",
        data: {
          labels: data.clusters.map(function (c) { return wrap(c.label); }),
          datasets: [
            { label: words.actual, data: data.clusters.map(function (c) { return c.actual; }), backgroundColor: "#0b5e8a" },
            { label: words.required, data: data.clusters.map(function (c) { return c.required; }), backgroundColor: "#e07b39" }
          ]
        },
        options: Object.assign({}, common, {
          indexAxis: "y",
          // Room for two-line names: about 44 px per cluster, whatever the width.
          aspectRatio: Math.max(0.5, (clusters.parentNode.clientWidth || 500) / (44 * data.clusters.length + 60)),
          scales: { y: { ticks: { autoSkip: false } } }
        })
      }));
    }
    var levels = document.getElementById("chart-levels");
    if (levels && data.levels.length) {
      window.distributionCharts.push(new window.Chart(levels, {
        type: "bar",
        data: {
          labels: data.levels.map(function (l) { return l.label; }),
          datasets: [{ label: words.active, data: data.levels.map(function (l) { return l.count; }), backgroundColor: "#5fae6e" }]
        },
        options: common
      }));
    }
    var trend = document.getElementById("chart-trend");
    if (trend && data.trend.length) {
      window.distributionCharts.push(new window.Chart(trend, {
        type: "line",
        data: {
          labels: data.trend.map(function (t) { return t.period; }),
          datasets: [
            { label: words.actual, data: data.trend.map(function (t) { return t.actual; }), borderColor: "#0b5e8a" },
            { label: words.required, data: data.trend.map(function (t) { return t.required; }), borderColor: "#e07b39" }
          ]
        },
        options: common
      }));
    }
  });
})();
