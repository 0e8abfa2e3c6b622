// govdata portal: HTMX CSRF header and the overview chart. No framework, no CDN.
(function () {
  "use strict";

  // Cookie-authenticated HTMX requests carry the session's CSRF token.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) {
      event.detail.headers["X-CSRF-Token"] = meta.content;
    }
  });

  // A form that answers a refusal with itself and the message (422, 409) opts in to having that
  // answer swapped in with data-swap-refusals; htmx swaps no 4xx answer by default.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 422 || status === 409) && event.detail.elt.closest("[data-swap-refusals]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function overviewChart() {
    var el = document.getElementById("overview-chart");
    var data = document.getElementById("overview-data");
    if (!el || !data || typeof echarts === "undefined") {
      return;
    }
    var d = JSON.parse(data.textContent);
    // One bar row per department: a short list gets a short chart, a long one a tall chart.
    el.style.height = Math.max(240, Math.min(720, d.names.length * 44 + 60)) + "px";
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var font = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
    chart.setOption({
      textStyle: { fontFamily: font },
      color: ["#1a64c8"],
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        valueFormatter: function (v) { return Number(v).toLocaleString(); }
      },
      xAxis: {
        type: "value",
        axisLabel: { color: "#7b8698", formatter: function (v) { return Number(v).toLocaleString(); } },
        splitLine: { lineStyle: { color: "#eef1f5" } }
      },
      yAxis: {
        type: "category",
        inverse: true,
        data: d.names,
        axisTick: { show: false },
        axisLine: { lineStyle: { color: "#cfd7e3" } },
        axisLabel: { color: "#4a5567" }
      },
      series: [{
        name: d.series,
        type: "bar",
        data: d.records,
        barMaxWidth: 22,
        itemStyle: {
          borderRadius: [0, 4, 4, 0],
          color: new echarts.graphic.LinearGradient(0, 0, 1, 0, [
            { offset: 0, color: "#1450a3" }, { offset: 1, color: "#3b8ef0" }
          ])
        },
        label: {
          show: true, position: "right", color: "#4a5567",
          formatter: function (p) { return Number(p.value).toLocaleString(); }
        }
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.ready = "1";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", overviewChart);
  } else {
    overviewChart();
  }
})();
