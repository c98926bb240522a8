// Keyboard shortcuts on the review page: M match, N not a match, S not sure.
// Single-key shortcuts can be turned off (WCAG 2.1.4); the choice is remembered on this device.
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  var toggleGroup = document.getElementById("shortcut-toggle");
  var toggle = document.getElementById("use-shortcuts");
  if (!form || !toggle || !toggleGroup) {
    return;
  }
  var storageKey = "hub-linkage-shortcuts";
  try {
    toggle.checked = window.localStorage.getItem(storageKey) !== "off";
  } catch (error) {
    toggle.checked = true;
  }
  toggleGroup.hidden = false;
  toggle.addEventListener("change", function () {
    try {
      window.localStorage.setItem(storageKey, toggle.checked ? "on" : "off");
    } catch (error) {
      // Storage may be unavailable; the choice then lasts for this page only.
    }
  });
  document.addEventListener("keydown", function (event) {
    if (!toggle.checked || event.ctrlKey || event.metaKey || event.altKey || event.repeat) {
      return;
    }
    var target = event.target;
    var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
    if (tag === "textarea" || tag === "input" || tag === "select" || (target && target.isContentEditable)) {
      return;
    }
    var button = form.querySelector('button[data-shortcut="' + event.key.toLowerCase() + '"]');
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
})();
