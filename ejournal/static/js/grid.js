/* The teacher's mark grid: fill the journal from the keyboard, each cell saved as it is typed.
 *
 * The page (templates/journal/grid.html) is a table whose fillable cells are td.c: one per
 * lesson (its column's <th data-lesson> says whether this user may fill it, and if not, why:
 * data-locked) and the final mark (td.g-fin with data-url when the user may set it).
 *
 * Keys on a cell: arrows, Tab / Shift+Tab, Enter / Shift+Enter move; typing starts the
 * cell's editor ("5", "5*2", "н", "оп", "оп 4"); F2 edits the cell's text; Delete or
 * Backspace clears it; Space or a double click opens the details (weight, comment, reason).
 * In the editor: Enter, Tab and the arrows save and move, Escape cancels.
 *
 * Each change is one fetch POST (form-encoded, CSRF token in X-CSRFToken) answered with JSON:
 * {ok, cell: {html, text, title, css, mark, weight, comment, status, reason}, average} or,
 * with status 400, {errors: [{param, code, message}]}. A refused value is shown in place: the
 * cell keeps its previous value, turns red and the reason appears under it.
 * Without JavaScript the grid is read-only (the final marks have a small form each).
 */
(function () {
  "use strict";

  var table = document.getElementById("grid");
  if (!table || !table.hasAttribute("data-fill") || !window.fetch) {
    return;
  }
  var csrf = table.getAttribute("data-csrf");
  var cellUrl = table.getAttribute("data-cell-url");
  var period = table.getAttribute("data-period");
  var group = table.getAttribute("data-group") || "";
  var finalLocked = table.getAttribute("data-final-locked");
  var status = document.getElementById("grid-status");
  var details = document.getElementById("cell-details");
  var heads = Array.prototype.slice.call(table.querySelectorAll("thead th[data-lesson]"));
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var matrix = rows.map(function (row) {
    return Array.prototype.slice.call(row.querySelectorAll("td.c"));
  });
  var active = null; // the cell with tabindex=0
  var editor = null; // {cell, input, entry}: the open editor
  var bubble = null; // the error message under a refused cell

  /* Where a cell is, and what saving it means. */
  function position(cell) {
    for (var r = 0; r < matrix.length; r++) {
      var c = matrix[r].indexOf(cell);
      if (c !== -1) {
        return { r: r, c: c };
      }
    }
    return null;
  }

  function target(cell) {
    var at = position(cell);
    var student = rows[at.r].getAttribute("data-student");
    if (cell.classList.contains("g-fin")) {
      var url = cell.getAttribute("data-url");
      return url ? { url: url, final: true, params: { period: period, group: group } } : { locked: finalLocked };
    }
    var head = heads[at.c];
    if (head.hasAttribute("data-locked")) {
      return { locked: head.getAttribute("data-locked") };
    }
    return {
      url: cellUrl.replace("11111111", head.getAttribute("data-lesson")).replace("22222222", student),
      params: { group: group }
    };
  }

  function say(text) {
    status.textContent = text;
  }

  /* Moving between cells (a roving tabindex: only the active cell is in the tab order). */
  function activate(cell, focus) {
    if (active && active !== cell) {
      active.setAttribute("tabindex", "-1");
    }
    active = cell;
    cell.setAttribute("tabindex", "0");
    if (focus) {
      cell.focus();
    }
  }

  function moveTo(r, c) {
    if (r < 0 || r >= matrix.length) {
      return false;
    }
    var row = matrix[r];
    if (c < 0 || c >= row.length) {
      return false;
    }
    activate(row[c], true);
    return true;
  }

  function move(cell, dr, dc) {
    var at = position(cell);
    return moveTo(at.r + dr, at.c + dc);
  }

  /* Tab runs along the row and on to the next one; at either end of the grid it leaves it. */
  function tab(cell, back) {
    var at = position(cell);
    if (back) {
      return at.c > 0 ? moveTo(at.r, at.c - 1) : moveTo(at.r - 1, (matrix[at.r - 1] || []).length - 1);
    }
    return at.c < matrix[at.r].length - 1 ? moveTo(at.r, at.c + 1) : moveTo(at.r + 1, 0);
  }

  /* Errors in place. */
  function clearError() {
    if (bubble) {
      bubble.remove();
      bubble = null;
    }
    table.querySelectorAll("td.error").forEach(function (cell) {
      cell.classList.remove("error");
    });
  }

  function showError(cell, message) {
    clearError();
    cell.classList.add("error");
    bubble = document.createElement("div");
    bubble.className = "g-error";
    bubble.setAttribute("role", "alert");
    bubble.textContent = message;
    document.body.appendChild(bubble);
    // Beside the cell, so that the cell below (where Enter went) stays in sight.
    var box = cell.getBoundingClientRect();
    var room = document.documentElement.clientWidth - box.right - 8;
    var left = room >= bubble.offsetWidth ? box.right + 4 : Math.max(4, box.left - bubble.offsetWidth - 4);
    bubble.style.left = left + window.scrollX + "px";
    bubble.style.top = box.top + window.scrollY + "px";
  }

  /* Saving a cell. */
  function apply(cell, data) {
    var view = data.cell;
    // The column's classes stay (today's, a cancelled lesson's); the content's are replaced.
    var keep = ["c"].concat(
      ["g-fin", "today", "off"].filter(function (name) {
        return cell.classList.contains(name);
      })
    );
    cell.className = keep.join(" ") + (view.css ? " " + view.css : "");
    cell.innerHTML = view.html;
    ["text", "mark", "weight", "comment", "status", "reason"].forEach(function (name) {
      var value = view[name];
      if (value === null || value === undefined || value === "") {
        cell.removeAttribute("data-" + name);
      } else {
        cell.setAttribute("data-" + name, value);
      }
    });
    if (view.title) {
      cell.title = view.title;
    } else {
      cell.removeAttribute("title");
    }
    if ("average" in data) {
      var average = cell.parentNode.querySelector("td.g-avg");
      if (average) {
        average.textContent = data.average || "";
      }
    }
  }

  function save(cell, fields) {
    var where = target(cell);
    if (where.locked) {
      showError(cell, where.locked);
      return;
    }
    var body = new URLSearchParams(where.params);
    Object.keys(fields).forEach(function (name) {
      body.set(name, fields[name]);
    });
    var before = cell.innerHTML;
    cell.classList.add("saving");
    cell.textContent = fields.value;
    // One cell's requests go one after another, so its last value is the one kept.
    cell._queue = (cell._queue || Promise.resolve()).then(function () {
      return fetch(where.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
        body: body
      })
        .then(function (response) {
          return response
            .json()
            .catch(function () {
              return null;
            })
            .then(function (data) {
              cell.classList.remove("saving");
              if (response.ok && data && data.ok) {
                if (cell.classList.contains("error")) {
                  clearError();
                }
                apply(cell, data);
                say("Сохранено: " + (data.cell.text || "пусто"));
                return;
              }
              cell.innerHTML = before;
              showError(cell, reason(response, data));
            });
        })
        .catch(function () {
          cell.classList.remove("saving");
          cell.innerHTML = before;
          showError(cell, "Нет связи с сервером: значение не сохранено. Попробуйте ещё раз.");
        });
    });
  }

  function reason(response, data) {
    if (data && data.errors && data.errors.length) {
      return data.errors
        .map(function (e) {
          return e.message;
        })
        .join(" ");
    }
    if (response.redirected || response.status === 403) {
      return "Сеанс закончился: обновите страницу и войдите снова. Значение не сохранено.";
    }
    if (response.status === 404) {
      return "Эту клетку изменить нельзя.";
    }
    return "Не удалось сохранить (ошибка " + response.status + "). Попробуйте ещё раз.";
  }

  /* The cell's editor: an input inside the cell. */
  function openEditor(cell, text, entry) {
    var where = target(cell);
    if (where.locked) {
      showError(cell, where.locked);
      return;
    }
    clearError();
    var input = document.createElement("input");
    input.className = "g-input";
    input.value = text;
    input.setAttribute("aria-label", "Значение клетки");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("maxlength", "20");
    editor = { cell: cell, input: input, entry: entry, before: cell.innerHTML };
    cell.classList.add("editing");
    cell.innerHTML = "";
    cell.appendChild(input);
    input.focus();
    input.setSelectionRange(text.length, text.length);
    input.addEventListener("keydown", editorKey);
    input.addEventListener("blur", function () {
      if (editor && editor.input === input) {
        close(true);
      }
    });
  }

  /* Close the editor; with `commit`, save what it holds if that differs from the cell. */
  function close(commit) {
    var open = editor;
    editor = null;
    var cell = open.cell;
    var value = open.input.value.trim();
    cell.classList.remove("editing");
    cell.innerHTML = open.before;
    if (commit && value !== (cell.getAttribute("data-text") || "")) {
      save(cell, { value: value });
    }
    return cell;
  }

  function editorKey(event) {
    var key = event.key;
    var moves = {
      Enter: event.shiftKey ? [-1, 0] : [1, 0],
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0]
    };
    if (editor.entry) {
      moves.ArrowLeft = [0, -1];
      moves.ArrowRight = [0, 1];
    }
    if (key === "Escape") {
      event.preventDefault();
      activate(close(false), true);
    } else if (key === "Tab") {
      event.preventDefault();
      var cell = close(true);
      if (!tab(cell, event.shiftKey)) {
        activate(cell, true);
      }
    } else if (moves[key]) {
      event.preventDefault();
      var from = close(true);
      if (!move(from, moves[key][0], moves[key][1])) {
        activate(from, true);
      }
    }
  }

  /* The details form: mark, weight, comment, attendance, reason. */
  function openDetails(cell) {
    var where = target(cell);
    if (where.locked || where.final) {
      if (where.locked) {
        showError(cell, where.locked);
      }
      return;
    }
    clearError();
    var at = position(cell);
    details._cell = cell;
    details.elements.mark.value = cell.getAttribute("data-mark") || "";
    details.elements.weight.value =
      cell.getAttribute("data-weight") || heads[at.c].getAttribute("data-weight") || "1";
    details.elements.comment.value = cell.getAttribute("data-comment") || "";
    details.elements.status.value = cell.getAttribute("data-status") || "";
    details.elements.reason.value = cell.getAttribute("data-reason") || "";
    document.getElementById("cell-details-title").textContent =
      rows[at.r].querySelector(".g-name").textContent + ", " + heads[at.c].getAttribute("title");
    details.hidden = false;
    var box = cell.getBoundingClientRect();
    var left = Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - details.offsetWidth - 8);
    details.style.left = Math.max(8, left) + "px";
    details.style.top = box.bottom + window.scrollY + 4 + "px";
    details.elements.mark.focus();
  }

  function closeDetails() {
    var cell = details._cell;
    details.hidden = true;
    details._cell = null;
    if (cell) {
      activate(cell, true);
    }
  }

  if (details) {
    details.addEventListener("submit", function (event) {
      event.preventDefault();
      var cell = details._cell;
      var form = details.elements;
      var text = [
        { absent: "н", late: "оп" }[form.status.value] || "",
        form.mark.value
      ]
        .filter(Boolean)
        .join(" ");
      closeDetails();
      save(cell, {
        value: text,
        weight: form.weight.value,
        comment: form.comment.value,
        reason: form.status.value ? form.reason.value : ""
      });
    });
    details.querySelector("[data-close]").addEventListener("click", closeDetails);
    details.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        closeDetails();
      } else if (event.key === "Enter" && event.target.tagName === "SELECT") {
        // Enter saves from a list too, not only from the comment's field.
        event.preventDefault();
        details.requestSubmit();
      }
    });
  }

  /* Keys on a cell. */
  table.addEventListener("keydown", function (event) {
    var cell = event.target;
    if (editor || !cell.matches || !cell.matches("td.c") || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var key = event.key;
    var arrows = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (arrows[key]) {
      event.preventDefault();
      move(cell, arrows[key][0], arrows[key][1]);
    } else if (key === "Enter") {
      event.preventDefault();
      move(cell, event.shiftKey ? -1 : 1, 0);
    } else if (key === "Tab") {
      if (tab(cell, event.shiftKey)) {
        event.preventDefault();
      }
    } else if (key === "Home" || key === "End") {
      event.preventDefault();
      var at = position(cell);
      moveTo(at.r, key === "Home" ? 0 : matrix[at.r].length - 1);
    } else if (key === "Delete" || key === "Backspace") {
      event.preventDefault();
      if (cell.hasAttribute("data-text")) {
        save(cell, { value: "" });
      }
    } else if (key === "F2") {
      event.preventDefault();
      openEditor(cell, cell.getAttribute("data-text") || "", false);
    } else if (key === " ") {
      event.preventDefault();
      openDetails(cell);
    } else if (key === "Escape") {
      clearError();
    } else if (key.length === 1) {
      event.preventDefault();
      openEditor(cell, key, true);
    }
  });

  table.addEventListener("click", function (event) {
    var cell = event.target.closest && event.target.closest("td.c");
    if (cell && !editor) {
      activate(cell, true);
    }
  });

  table.addEventListener("dblclick", function (event) {
    var cell = event.target.closest && event.target.closest("td.c");
    if (cell && !editor) {
      openDetails(cell);
    }
  });

  document.addEventListener("click", function (event) {
    if (!details || details.hidden || details.contains(event.target)) {
      return;
    }
    if (!(event.target.closest && event.target.closest("td.c") === details._cell)) {
      details.hidden = true;
      details._cell = null;
    }
  });

  /* Start on today's column (else the first one): the cell a teacher most likely fills. */
  matrix.forEach(function (row) {
    row.forEach(function (cell) {
      cell.setAttribute("tabindex", "-1");
    });
  });
  if (matrix.length && matrix[0].length) {
    var today = heads.findIndex(function (head) {
      return head.classList.contains("today");
    });
    activate(matrix[0][today === -1 ? 0 : today], false);
    if (today !== -1) {
      heads[today].scrollIntoView({ block: "nearest", inline: "center" });
      window.scrollTo(0, 0);
    }
  }
})();
