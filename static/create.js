// The create page's helpers: style suggestions that add to the style field,
// section markers inserted into the lyrics at the cursor, and a live count
// of the lyrics' characters. The page works without them: the controls
// stay hidden and the count is the server's.
(function () {
  "use strict";

  function insertAtCursor(field, text) {
    var start = field.selectionStart || 0;
    var end = field.selectionEnd || 0;
    var before = field.value.slice(0, start);
    var after = field.value.slice(end);
    // A marker starts its own line.
    var prefix = before && !before.endsWith("\n") ? "\n" : "";
    var insert = prefix + text + "\n";
    field.value = before + insert + after;
    var cursor = start + insert.length;
    field.focus();
    field.setSelectionRange(cursor, cursor);
    field.dispatchEvent(new Event("input"));
  }

  function addTag(field, tag) {
    var tags = field.value.split(",").map(function (t) { return t.trim(); })
      .filter(function (t) { return t.length > 0; });
    if (tags.indexOf(tag) === -1) {
      tags.push(tag);
    }
    field.value = tags.join(", ");
    field.focus();
  }

  var lyrics = document.getElementById("lyrics");
  var count = document.getElementById("lyrics-count");
  if (lyrics && count) {
    var update = function () {
      // Counted as the server counts: by code point, not UTF-16 unit.
      var chars = Array.from(lyrics.value.trim()).length;
      count.textContent = count.dataset.template
        .replace("%{count}", String(chars))
        .replace("%{max}", count.dataset.max);
    };
    lyrics.addEventListener("input", update);
    update();
  }

  // Each submission is a paid request: a second click while the first is
  // on its way would pay twice. (Only a guard for the common case: the
  // server has no idempotency key yet.)
  var form = document.querySelector("form[action='/create']");
  if (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type='submit']");
      if (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      }
    });
  }

  document.querySelectorAll(".markers[data-for], .suggestions[data-for]").forEach(function (group) {
    var field = document.getElementById(group.dataset.for);
    if (!field) {
      return;
    }
    group.hidden = false;
    group.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) {
        return;
      }
      if (button.dataset.marker) {
        insertAtCursor(field, button.dataset.marker);
      } else if (button.dataset.tag) {
        addTag(field, button.dataset.tag);
      }
    });
  });
})();
