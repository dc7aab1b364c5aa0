// Charts of the indicators dashboard. The data comes from a JSON block written by the
// server (views/indicators/index.ejs); the same figures are in the tables beneath.
(function () {
  const block = document.getElementById('indicators-chart-data');
  if (!block || typeof window.Chart === 'undefined') return;
  const data = JSON.parse(block.textContent || '{}');
  const style = getComputedStyle(document.documentElement);
  const color = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  const primary = color('--bs-primary', '#0d6efd');
  const success = color('--bs-success', '#198754');
  const warning = color('--bs-warning', '#ffc107');
  const common = {
    responsive: true,
    maintainAspectRatio: false,
    animation: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? false : undefined,
    interaction: { mode: 'index', intersect: false },
    scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
  };

  const draw = (id, type, datasets) => {
    const canvas = document.getElementById(id);
    if (canvas) new window.Chart(canvas, { type, data: { labels: data.labels, datasets }, options: common });
  };
  draw('chart-daily', 'bar', [
    { label: data.text.received, data: data.received, backgroundColor: primary },
    { label: data.text.finalized, data: data.finalized, backgroundColor: success },
  ]);
  const rated = document.getElementById('chart-satisfaction');
  if (rated && data.satisfaction && data.satisfaction.length)
    new window.Chart(rated, {
      type: 'bar',
      data: {
        labels: data.satisfaction.map((w) => w.label),
        datasets: [
          { label: data.text.satisfaction, data: data.satisfaction.map((w) => w.value), backgroundColor: success },
        ],
      },
      options: { ...common, indexAxis: 'y', scales: { x: { min: 0, max: 5 } } },
    });
  draw('chart-backlog', 'line', [
    {
      label: data.text.backlog,
      data: data.backlog,
      borderColor: warning,
      backgroundColor: warning,
      tension: 0.2,
      pointRadius: 2,
    },
  ]);
})();
