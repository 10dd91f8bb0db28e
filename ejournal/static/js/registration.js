/* Registration by invitation code.
 *
 * /hello?code=…: the printed QR code's address fills the field; the code is then taken out
 * of the address bar, so that it doesn't stay in the browser's history.
 *
 * The second step: "У меня есть еще один пригласительный код" adds a field for the next
 * code here, in the page. Without JavaScript the same button submits the form and the
 * server answers with one more field.
 */
(function () {
  "use strict";

  if (window.location.search && window.history && window.history.replaceState) {
    var params = new URLSearchParams(window.location.search);
    if (params.has("code")) {
      params.delete("code");
      var rest = params.toString();
      window.history.replaceState(
        null,
        "",
        window.location.pathname + (rest ? "?" + rest : "") + window.location.hash
      );
    }
  }

  var button = document.querySelector("[data-add-code]");
  var box = document.querySelector("[data-extra-codes]");
  var template = document.querySelector("template[data-extra-code-template]");
  if (!button || !box || !template || !("content" in template)) {
    return;
  }
  var max = parseInt(button.getAttribute("data-max"), 10) || 10;
  button.type = "button"; // no longer a submit button: Enter keeps registering

  button.addEventListener("click", function () {
    var count = box.querySelectorAll("input[name=extra_codes]").length;
    if (count >= max) {
      return;
    }
    var number = count + 2; // the invitation's own code is №1
    var field = template.content.firstElementChild.cloneNode(true);
    var input = field.querySelector("input");
    var label = field.querySelector("label");
    input.id = "id_extra_code_" + number;
    label.setAttribute("for", input.id);
    label.querySelector("[data-number]").textContent = String(number);
    box.appendChild(field);
    input.focus();
    if (count + 1 >= max) {
      button.hidden = true;
    }
  });
})();
