// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Commune picker: a suggestion fills the text input and the hidden identifier.
  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-commune-option]");
    if (!option) return;
    event.preventDefault();
    var picker = option.closest("[data-commune-picker]");
    picker.querySelector("[data-commune-text]").value = option.dataset.label;
    picker.querySelector("[data-commune-id]").value = option.dataset.communeId;
    picker.querySelector("[data-commune-options]").innerHTML = "";
    picker.querySelector("[data-commune-text]").focus();
  });

  // Typing again in the picker forgets the previous choice.
  document.addEventListener("input", function (event) {
    if (!event.target.matches("[data-commune-text]")) return;
    var picker = event.target.closest("[data-commune-picker]");
    picker.querySelector("[data-commune-id]").value = "";
  });

  // "Imprimer" buttons open the browser's print dialogue.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });

  // On a phone, the main menu starts folded.
  document.addEventListener("DOMContentLoaded", function () {
    var menu = document.querySelector("[data-collapsible-menu]");
    if (menu && window.matchMedia("(max-width: 40rem)").matches) menu.removeAttribute("open");
  });

  // The error summary of a failed form takes the focus, so it is read first.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });

  // A running import's progress is fetched again every few seconds, until it ends.
  document.addEventListener("DOMContentLoaded", function () {
    var status = document.querySelector("[data-import-status][data-refresh]");
    if (!status || !window.fetch || !window.DOMParser) return;
    var delay = parseInt(status.dataset.refresh, 10) || 2000;
    function refresh() {
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.querySelector("[data-import-status]");
          if (!fresh) return;
          status.innerHTML = fresh.innerHTML;
          if (fresh.hasAttribute("data-refresh")) {
            window.setTimeout(refresh, delay);
          } else {
            status.removeAttribute("data-refresh");
            var summary = status.querySelector("[data-error-summary]");
            if (summary) summary.focus();
          }
        })
        .catch(function () { window.setTimeout(refresh, delay * 2); });
    }
    window.setTimeout(refresh, delay);
  });
})();
