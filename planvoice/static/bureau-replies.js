// Progressive enhancement for the bureau's steps on a case page: choosing a prepared reply
// puts its text into the step's field, to be read and changed before sending. Without this
// file the form still works: an empty field sends the chosen reply's text as it is.
(function () {
  "use strict";

  document.querySelectorAll("select[data-fills]").forEach((select) => {
    const field = document.getElementById(select.dataset.fills);
    if (!field) return;
    // The text this script last put in, so that only the clerk's own words are kept.
    let inserted = "";
    select.addEventListener("change", () => {
      const option = select.options[select.selectedIndex];
      const text = (option && option.dataset.body) || "";
      const current = field.value.trim();
      if (current === "" || current === inserted.trim()) {
        field.value = text;
      } else if (text) {
        // The clerk has written something: add the prepared text after it, never over it.
        field.value = field.value.replace(/\s+$/, "") + "\n\n" + text;
      }
      inserted = text;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });
})();
