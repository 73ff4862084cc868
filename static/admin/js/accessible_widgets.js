// Names for the admin's Select2 autocomplete widgets, which Select2 leaves unnamed:
// each combobox and search box takes the text of its field's <label>.
"use strict";
(function () {
  function labelFor(select) {
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function nameWidgets() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      var name = labelFor(select);
      if (!container || !container.classList.contains("select2") || !name) {
        return;
      }
      container.querySelectorAll(".select2-selection").forEach(function (box) {
        box.setAttribute("aria-label", name);
        box.removeAttribute("aria-labelledby");
      });
      container.querySelectorAll(".select2-search__field").forEach(function (input) {
        input.setAttribute("aria-label", "Search " + name.toLowerCase());
      });
      container.querySelectorAll("span.select2-selection__rendered").forEach(function (text) {
        text.setAttribute("aria-label", name);
      });
      container.querySelectorAll("ul.select2-selection__rendered").forEach(function (list) {
        list.setAttribute("aria-label", name + ": chosen");
        // The "remove all" cross sits directly in the list; the keyboard removes items with Backspace.
        list.querySelectorAll(":scope > .select2-selection__clear").forEach(function (clear) {
          clear.setAttribute("aria-hidden", "true");
        });
      });
    });
    document.querySelectorAll(".select2-search--dropdown .select2-search__field").forEach(function (input) {
      if (!input.hasAttribute("aria-label")) {
        input.setAttribute("aria-label", "Search");
      }
    });
  }

  function start() {
    nameWidgets();
    new MutationObserver(nameWidgets).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
