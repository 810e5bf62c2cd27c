// The classroom's QR code: full screen on request, redrawn before each rotation.
const screen = document.getElementById("qr-screen");
const holder = document.getElementById("qr");
const every = Number(screen.dataset.every) * 1000;

async function redraw() {
  try {
    const response = await fetch(screen.dataset.src, { credentials: "same-origin", cache: "no-store" });
    if (response.ok) {
      holder.innerHTML = await response.text();
      holder.dataset.url = response.headers.get("X-Check-In-Url") || "";
    }
  } catch {
    // a dropped connection: keep the last code and try at the next turn
  }
}

setInterval(redraw, Math.max(5000, every / 2));
document.getElementById("qr-full").addEventListener("click", () => {
  if (document.fullscreenElement) document.exitFullscreen();
  else screen.requestFullscreen?.();
});
