// Live status on pages listing songs: listens to /events (server-sent
// events for the signed-in member) and updates every element carrying the
// song's data-generation-id. Labels come from data-label-<status>
// attributes the server rendered in the page's language, so this file
// needs no catalog. Without JavaScript the page refreshes itself instead.
// A budget warning fills the empty banner base.html rendered (its texts in
// data-text-* attributes); without JavaScript the next page shows it.
(function () {
  "use strict";
  var budgetSlot = document.getElementById("budget-banner-live");
  if (!window.EventSource ||
      (!document.querySelector("[data-generation-id]") && !budgetSlot)) {
    return;
  }

  function showBudget(warning) {
    if (!budgetSlot || !budgetSlot.hidden || !warning ||
        (warning.budget !== "member" && warning.budget !== "team")) {
      return;
    }
    // textContent, never innerHTML: nothing from the wire becomes markup.
    var text = budgetSlot.getAttribute("data-text-" + warning.budget) || "";
    budgetSlot.textContent = text + " ";
    var link = document.createElement("a");
    link.href = "/billing";
    link.textContent = budgetSlot.getAttribute("data-text-details") || "";
    budgetSlot.appendChild(link);
    budgetSlot.setAttribute("data-budget", warning.budget);
    budgetSlot.hidden = false;
  }

  function labelFor(element, status) {
    var holder = element.closest("[data-label-" + status + "]");
    return holder ? holder.getAttribute("data-label-" + status) : null;
  }

  function apply(update) {
    if (!update || typeof update.generation_id !== "string" ||
        !/^[a-z_]+$/.test(update.status || "")) {
      return;
    }
    var selector = '[data-generation-id="' + update.generation_id.replace(/[^0-9a-f-]/gi, "") + '"]';
    document.querySelectorAll(selector).forEach(function (element) {
      // A song's own page shows clips and players that only the server
      // renders: when they appear (streaming) or settle (the end), load the
      // page again; earlier steps only change the badge.
      if (element.hasAttribute("data-reload-on-change") &&
          element.getAttribute("data-status") !== update.status &&
          ["streaming", "completed", "failed"].indexOf(update.status) >= 0) {
        window.location.reload();
        return;
      }
      element.setAttribute("data-status", update.status);
      var label = labelFor(element, update.status);
      element.querySelectorAll(".status-badge").forEach(function (badge) {
        badge.setAttribute("data-status", update.status);
        // textContent, never innerHTML: nothing from the wire becomes markup.
        if (label) {
          badge.textContent = label;
        }
      });
    });
  }

  var source = new EventSource("/events");
  // Marks the page as live once the stream is open (browser tests wait
  // for it before making something happen).
  source.addEventListener("open", function () {
    document.documentElement.setAttribute("data-live", "open");
  });
  source.addEventListener("budget", function (event) {
    try {
      showBudget(JSON.parse(event.data));
    } catch (e) {
      // A malformed event changes nothing; the next page load shows the truth.
    }
  });
  source.addEventListener("generation", function (event) {
    try {
      apply(JSON.parse(event.data));
    } catch (e) {
      // A malformed event changes nothing; the next page load shows the truth.
    }
  });
})();
