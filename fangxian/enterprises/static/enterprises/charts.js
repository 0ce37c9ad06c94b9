// The township's live charts: load the figures (JSON, scoped on the server), draw them with
// ECharts, and open the list behind a bar or point on click. Refreshes every five minutes.
(function () {
  "use strict";
  var root = document.getElementById("fx-charts");
  if (!root || !window.echarts) { return; }
  var labels = JSON.parse(root.dataset.labels);
  var charts = {};

  function chart(name) {
    if (!charts[name]) {
      var el = root.querySelector('[data-chart="' + name + '"]');
      charts[name] = echarts.init(el);
      charts[name].on("click", function (params) {
        if (params.data && params.data.url) { window.location.href = params.data.url; }
      });
    }
    return charts[name];
  }

  function points(values, urls) {
    return values.map(function (v, i) { return { value: v, url: urls[i] }; });
  }

  function line(days, series) {
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 10, top: 30, bottom: 30 },
      xAxis: { type: "category", data: days.map(function (d) { return d.slice(5); }) },
      yAxis: { type: "value", minInterval: 1 },
      series: series
    };
  }

  function bars(rows, value, url, name) {
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 80, right: 20, top: 10, bottom: 20 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: rows.map(function (r) { return r.label; }) },
      series: [{ type: "bar", name: name, data: rows.map(function (r) { return { value: r[value], url: r.urls[url] }; }) }]
    };
  }

  function draw(data) {
    var days = data.days;
    chart("reopened").setOption(line(days, [
      { type: "line", name: labels.reopened, data: days.map(function (d, i) { return { value: data.reopened[i], url: data.reopened_url }; }) }
    ]));
    chart("workers").setOption(line(days, [
      { type: "line", name: labels.on_site, data: points(data.workers_on_site, data.day_urls) },
      { type: "bar", name: labels.returned, data: points(data.returned_today, data.day_urls) }
    ]));
    chart("abnormal").setOption(line(days, [
      { type: "bar", name: labels.abnormal, data: points(data.abnormal_temperatures, data.abnormal_urls) },
      { type: "bar", name: labels.isolation, data: points(data.in_isolation, data.day_urls) }
    ]));
    chart("missing_village").setOption(bars(data.by_village, "missing", "missing", labels.missing));
    chart("missing_industry").setOption(bars(data.by_industry, "missing", "missing", labels.missing));
    chart("on_site_industry").setOption(bars(data.by_industry, "workers_on_site", "reports", labels.on_site));
    document.querySelector('[data-testid="as-of"]').textContent = data.as_of;
    root.dataset.loaded = "1";
  }

  function load() {
    fetch(root.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(draw);
  }

  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });
  load();
  setInterval(load, 5 * 60 * 1000);
})();
