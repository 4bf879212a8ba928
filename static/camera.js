/* Camera and image bridge for QR scanning: the part of scanning the browser demands in JavaScript.
 * window.cellulesScan.decodeImage(file)  -> Promise<string|null>  (a photo or a screenshot)
 * window.cellulesScan.start(video, onText, onError) -> stop()     (camera, ~6 scans per second,
 *   as fast as the decoder goes while an animated QR is in view)
 * BarcodeDetector is used where the browser has it; otherwise jsQR (vendored, loaded on demand).
 * Errors carry a `code`: "insecure", "no-camera", "denied", "camera" — the Python side words them. */
(() => {
  let jsqr = null;
  function loadJsQR() {
    if (window.jsQR) return Promise.resolve(window.jsQR);
    if (!jsqr) jsqr = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = "./static/vendor/jsQR.js";
      s.onload = () => resolve(window.jsQR);
      s.onerror = () => reject(new Error("jsQR"));
      document.head.appendChild(s);
    });
    return jsqr;
  }
  const detector = "BarcodeDetector" in window ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;

  async function decodeSource(source, width, height, canvas) {
    if (detector) {
      try {
        const found = await detector.detect(source);
        if (found.length) return found[0].rawValue;
        return null;
      } catch (e) { /* fall back to jsQR */ }
    }
    const decode = await loadJsQR();
    canvas.width = width; canvas.height = height;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(source, 0, 0, width, height);
    const hit = decode(ctx.getImageData(0, 0, width, height).data, width, height, { inversionAttempts: "attemptBoth" });
    return hit ? hit.data : null;
  }

  async function decodeImage(file) {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    return decodeSource(bitmap, Math.round(bitmap.width * scale), Math.round(bitmap.height * scale),
      document.createElement("canvas"));
  }

  function fail(code, detail) { const e = new Error(detail || code); e.code = code; return e; }

  function start(video, onText, onError) {
    let stopped = false, stream = null, timer = null, animated = false;
    const canvas = document.createElement("canvas");
    const stop = () => {
      stopped = true; clearTimeout(timer);
      if (stream) stream.getTracks().forEach((t) => t.stop());
      video.srcObject = null;
    };
    (async () => {
      if (!window.isSecureContext) throw fail("insecure");
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) throw fail("no-camera");
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      } catch (e) {
        if (e.name === "NotAllowedError" || e.name === "SecurityError") throw fail("denied", e.name);
        if (e.name === "NotFoundError" || e.name === "OverconstrainedError") throw fail("no-camera", e.name);
        throw fail("camera", e.name);
      }
      if (stopped) return stop();
      video.srcObject = stream;
      await video.play();
      const tick = async () => {
        if (stopped) return;
        if (video.videoWidth) {
          const text = await decodeSource(video, video.videoWidth, video.videoHeight, canvas).catch(() => null);
          if (text) animated = text.startsWith("FWBF:");
          if (text && !stopped) onText(text);
        }
        // An animated QR (fountain frames "FWBF:") changes several times a second: scan at once
        // again; otherwise ~6 scans a second spare the phone's battery.
        timer = setTimeout(tick, animated ? 30 : 160);
      };
      tick();
    })().catch((e) => { stop(); onError(e.code || "camera", String(e.message || e)); });
    return stop;
  }

  window.cellulesScan = { decodeImage, start };
})();
