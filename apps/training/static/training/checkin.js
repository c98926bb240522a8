// Scans a booking's QR code with the phone's camera where the browser has the BarcodeDetector API
// (Chrome and Edge on Android, ChromeOS and macOS). Elsewhere the camera button stays hidden and the
// trainer types the code: the form works the same without this script.
const box = document.querySelector("[data-module='hub-checkin']");
if (box && "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
  start(box);
}

async function start(box) {
  let formats = [];
  try {
    formats = await window.BarcodeDetector.getSupportedFormats();
  } catch {
    return;
  }
  if (!formats.includes("qr_code")) return;
  const camera = box.querySelector(".hub-checkin__camera");
  const startButton = box.querySelector("[data-checkin-start]");
  const stopButton = box.querySelector("[data-checkin-stop]");
  const video = box.querySelector("[data-checkin-video]");
  const status = box.querySelector("[data-checkin-status]");
  const form = box.querySelector("[data-checkin-form]");
  const input = box.querySelector("[data-checkin-code]");
  const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  const code = /^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/;
  let stream = null;
  let timer = null;
  camera.hidden = false;

  function stop() {
    clearInterval(timer);
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
    stopButton.hidden = true;
    startButton.hidden = false;
  }

  startButton.addEventListener("click", async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch {
      status.textContent = "The camera could not be opened. Type the check-in code instead.";
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    startButton.hidden = true;
    stopButton.hidden = false;
    await video.play();
    status.textContent = "Point the camera at the QR code.";
    timer = setInterval(async () => {
      let found = [];
      try {
        found = await detector.detect(video);
      } catch {
        return;
      }
      const value = found.map((item) => item.rawValue.trim().toUpperCase()).find((text) => code.test(text));
      if (value) {
        stop();
        input.value = value;
        status.textContent = `Code ${value} read. Checking in.`;
        form.requestSubmit();
      }
    }, 250);
  });
  stopButton.addEventListener("click", () => {
    stop();
    status.textContent = "Camera stopped.";
  });
}
