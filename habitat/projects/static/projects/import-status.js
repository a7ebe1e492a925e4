// Polls the status URL of a running import and reloads when it is over.
const box = document.getElementById("import-progress");

async function poll() {
  try {
    const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
    const status = await response.json();
    const [done, total] = status.progress || [0, 1];
    box.querySelector("progress").value = Math.round((100 * done) / Math.max(total, 1));
    if (status.state === "done" || status.state === "failed") {
      window.location.reload();
      return;
    }
  } catch (error) {
    // Network hiccup: try again on the next tick.
  }
  window.setTimeout(poll, 1000);
}

if (box) poll();
