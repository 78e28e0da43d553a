// Progressive enhancement for /follow?kind=place: "Use my location" fills the point.
// The form works without this file (the resident types or pastes the numbers).
(function () {
  "use strict";

  const form = document.getElementById("follow-form");
  const lat = document.getElementById("lat"), lng = document.getElementById("lng");
  const button = document.getElementById("use-location");
  if (!form || !lat || !lng || !button || !("geolocation" in navigator)) return;
  const status = document.getElementById("location-status");
  const say = (text) => { if (status) status.textContent = text; };
  button.hidden = false;
  button.addEventListener("click", () => {
    button.disabled = true;
    say(form.dataset.msgLocating || "");
    navigator.geolocation.getCurrentPosition((pos) => {
      lat.value = pos.coords.latitude.toFixed(6);
      lng.value = pos.coords.longitude.toFixed(6);
      say((form.dataset.msgLocated || "").replace("{accuracy}", Math.round(pos.coords.accuracy)));
      button.disabled = false;
    }, () => {
      say(form.dataset.msgLocationFailed || "");
      button.disabled = false;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
