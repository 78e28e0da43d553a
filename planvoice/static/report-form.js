// Progressive enhancement for /reports/new. The form works without this file;
// every feature below checks for its own elements and quietly does nothing if absent.
(function () {
  "use strict";

  const form = document.getElementById("report-form");
  if (!form) return;
  const byId = (id) => document.getElementById(id);
  const msg = (name) => form.dataset[name] || "";
  const say = (el, text) => { if (el) el.textContent = text; };
  const setSubmitDisabled = (off) => {
    form.querySelectorAll('button[type="submit"], input[type="submit"]')
      .forEach((b) => { b.disabled = off; });
  };

  // --- "Use my location" -----------------------------------------------------
  const lat = byId("lat"), lng = byId("lng"), locBtn = byId("use-location");
  if (lat && lng && locBtn && "geolocation" in navigator) {
    const status = byId("location-status");
    locBtn.hidden = false;
    locBtn.addEventListener("click", () => {
      locBtn.disabled = true;
      say(status, msg("msgLocating"));
      navigator.geolocation.getCurrentPosition((pos) => {
        lat.value = pos.coords.latitude.toFixed(6);
        lng.value = pos.coords.longitude.toFixed(6);
        say(status, msg("msgLocated").replace("{accuracy}", Math.round(pos.coords.accuracy)));
        locBtn.disabled = false;
        // Setting .value fires no event; tell the nearby-reports lookup.
        [lat, lng].forEach((el) => el.dispatchEvent(new Event("change", { bubbles: true })));
      }, () => {
        say(status, msg("msgLocationFailed"));
        locBtn.disabled = false;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  // --- Shrink large photos before upload (saves slow mobile data) ------------
  const MAX_EDGE = 1600;
  const photos = byId("photos");
  const madeByUs = new WeakSet(); // files we produced; never process them again

  // Decode honouring EXIF rotation; falls back to <img>, which also applies it.
  async function decode(file) {
    try {
      return await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch (e) {
      const url = URL.createObjectURL(file);
      try {
        const img = new Image();
        img.src = url;
        await img.decode();
        return img;
      } finally {
        URL.revokeObjectURL(url);
      }
    }
  }

  async function shrink(file) {
    try {
      const src = await decode(file);
      const w = src.naturalWidth || src.width, h = src.naturalHeight || src.height;
      const scale = MAX_EDGE / Math.max(w, h);
      if (!(scale < 1)) { if (src.close) src.close(); return file; }
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff"; // transparent PNG areas would turn black in JPEG
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.imageSmoothingQuality = "high";
      ctx.drawImage(src, 0, 0, canvas.width, canvas.height);
      if (src.close) src.close();
      const blob = await new Promise((res) => canvas.toBlob(res, "image/jpeg", 0.85));
      canvas.width = canvas.height = 0; // free canvas memory early (iOS limits)
      if (!blob) return file;
      const name = (file.name.replace(/\.[^.]*$/, "") || "photo") + ".jpg";
      const out = new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified });
      madeByUs.add(out);
      return out;
    } catch (e) {
      return file; // undecodable (e.g. HEIC in Chromium) or any failure: keep original
    }
  }

  async function processPhotos() {
    const original = Array.from(photos.files);
    if (!original.length || original.every((f) => madeByUs.has(f))) return;
    photos.dataset.shrinking = "1";
    const status = byId("photos-status");
    say(status, msg("msgShrinking"));
    setSubmitDisabled(true);
    try {
      const results = [];
      for (const f of original) results.push(await shrink(f)); // one at a time: low memory
      const now = Array.from(photos.files);
      // The user picked other files meanwhile: don't overwrite their choice.
      if (now.length !== original.length || now.some((f, i) => f !== original[i])) return;
      const dt = new DataTransfer();
      results.forEach((f) => dt.items.add(f));
      photos.files = dt.files;
    } catch (e) {
      // Keep whatever the input holds; the server accepts originals too.
    } finally {
      delete photos.dataset.shrinking;
      say(status, "");
      setSubmitDisabled(false);
      if (photos.dataset.pending) { delete photos.dataset.pending; processPhotos(); }
    }
  }

  if (photos && typeof DataTransfer === "function" && typeof File === "function") {
    photos.addEventListener("change", () => {
      if (photos.dataset.shrinking) { photos.dataset.pending = "1"; return; }
      processPhotos();
    });
  }

  // --- Similar reports nearby (avoid duplicate reports) ----------------------
  const nearby = byId("nearby"), area = byId("area");
  if (nearby && nearby.dataset.url && window.fetch) {
    let timer = 0, seq = 0, controller = null;
    const lookup = async () => {
      const checked = form.querySelector('input[name="category"]:checked');
      const category = checked ? checked.value : "";
      const a = area ? area.value : "";
      const la = lat ? lat.value.trim() : "", ln = lng ? lng.value.trim() : "";
      if (!category || !(a || (la && ln))) return;
      const mine = ++seq;
      if (controller) controller.abort(); // don't waste mobile data on stale answers
      controller = window.AbortController ? new AbortController() : null;
      try {
        const qs = new URLSearchParams({ category, area: a, lat: la, lng: ln });
        const res = await fetch(nearby.dataset.url + "?" + qs, {
          credentials: "same-origin",
          headers: { Accept: "text/html" },
          signal: controller ? controller.signal : undefined,
        });
        if (res.status !== 200 || res.redirected) return; // e.g. bounced to a login page
        const html = await res.text();
        if (mine === seq) nearby.innerHTML = html; // only the latest request wins
      } catch (e) {
        // Network error or aborted: leave the current content alone.
      }
    };
    form.addEventListener("change", (e) => {
      const t = e.target;
      if (t.name === "category" || t === area || t === lat || t === lng) {
        clearTimeout(timer);
        timer = setTimeout(lookup, 400);
      }
    });
  }

  // --- Double-submit guard ---------------------------------------------------
  form.addEventListener("submit", (e) => {
    // Disable after the event so the clicked button's name/value is still sent.
    setTimeout(() => { if (!e.defaultPrevented) setSubmitDisabled(true); }, 0);
  });
  window.addEventListener("pageshow", (e) => {
    // Back button restored a frozen page: make it usable again (unless still shrinking).
    if (e.persisted && !(photos && photos.dataset.shrinking)) setSubmitDisabled(false);
  });
})();
