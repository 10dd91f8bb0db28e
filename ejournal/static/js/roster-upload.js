/* Roster import: an upload progress bar and a "checking" state for large files.
 *
 * The form is sent with XMLHttpRequest so that upload.onprogress can fill the bar; when the
 * server redirects to the preview, the page follows; when it answers with the form and its
 * errors, that answer replaces the page's <main>. Without JavaScript the form posts normally.
 * Forms with data-busy show that text while a long POST (applying the roster) runs.
 */
(function () {
  "use strict";

  function bindUpload(form) {
    var box = form.querySelector("[data-upload-progress]");
    var bar = box && box.querySelector("progress");
    var status = box && box.querySelector("[data-upload-status]");
    var input = form.querySelector("input[type=file]");
    var button = form.querySelector("button[type=submit]");
    if (!box || !bar || !status || !input || !window.FormData || !window.XMLHttpRequest) {
      return;
    }
    form.addEventListener("submit", function (event) {
      if (!input.files || !input.files.length) {
        return; // the server answers "Обязательное поле."
      }
      event.preventDefault();
      var url = new URL(form.getAttribute("action") || window.location.href, window.location.href);
      url.hash = ""; // responseURL never has one
      var target = url.href;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", target);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) {
          var percent = Math.round((e.loaded / e.total) * 100);
          bar.value = percent;
          status.textContent = "Отправляем файл… " + percent + "%";
        }
      };
      xhr.upload.onload = function () {
        bar.removeAttribute("value"); // an indeterminate bar while the server reads every row
        status.textContent = "Проверяем файл…";
      };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300 && xhr.responseURL && xhr.responseURL !== target) {
          window.location.assign(xhr.responseURL);
        } else if (xhr.status >= 200 && xhr.status < 300) {
          showPage(xhr.responseText);
        } else if (xhr.status === 413) {
          fail("Файл слишком большой для загрузки.");
        } else {
          fail("Сервер не смог проверить файл (ошибка " + xhr.status + "). Попробуйте ещё раз.");
        }
      };
      xhr.onerror = function () {
        fail("Не удалось отправить файл: проверьте подключение к интернету и попробуйте ещё раз.");
      };
      box.hidden = false;
      bar.value = 0;
      status.textContent = "Отправляем файл…";
      button.disabled = true;
      xhr.send(new FormData(form));
    });

    function fail(message) {
      bar.value = 0;
      status.textContent = message;
      status.className = "error";
      button.disabled = false;
    }
  }

  function showPage(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var fresh = page.querySelector("main");
    var current = document.querySelector("main");
    if (!fresh || !current) {
      document.open();
      document.write(html);
      document.close();
      return;
    }
    document.title = page.title;
    current.replaceWith(fresh);
    bindAll(fresh);
    var alert = fresh.querySelector("[role=alert]");
    if (alert) {
      alert.scrollIntoView();
    }
  }

  function bindBusy(form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      var status = form.querySelector("[data-busy-status]");
      if (status) {
        status.textContent = form.getAttribute("data-busy");
      }
      if (button) {
        // Disabled after this event, so the browser still sends the form once, and only once.
        window.setTimeout(function () { button.disabled = true; }, 0);
      }
    });
  }

  function bindAll(root) {
    root.querySelectorAll("form[data-roster-upload]").forEach(bindUpload);
    root.querySelectorAll("form[data-busy]").forEach(bindBusy);
  }

  bindAll(document);
})();
