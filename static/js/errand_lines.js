// The errand form: "add a line" copies the formset's empty line (Django's __prefix__), and the
// quick buttons (大米 10 斤 …) fill the first empty line, adding one when all are taken.
(function () {
  var lines = document.getElementById("errand-lines");
  var template = document.getElementById("errand-line-template");
  var total = document.querySelector("input[name=items-TOTAL_FORMS]");
  if (!lines || !template || !total) return;

  function addLine() {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    lines.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    return lines.lastElementChild;
  }

  function emptyLine() {
    var found = null;
    lines.querySelectorAll(".fx-errand-line").forEach(function (line) {
      var name = line.querySelector("input[name$='-name']");
      if (!found && name && name.value.trim() === "") found = line;
    });
    return found || addLine();
  }

  document.querySelector("[data-testid=add-line]").addEventListener("click", function () {
    addLine().querySelector("input").focus();
  });
  document.querySelectorAll("[data-item]").forEach(function (button) {
    button.addEventListener("click", function () {
      var line = emptyLine();
      line.querySelector("input[name$='-name']").value = button.getAttribute("data-item");
      line.querySelector("input[name$='-quantity']").value = button.getAttribute("data-quantity");
      line.querySelector("input[name$='-unit']").value = button.getAttribute("data-unit");
    });
  });
})();
