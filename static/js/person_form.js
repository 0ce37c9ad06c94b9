// Birth date and sex come from a resident ID number: ask for them only for other documents.
(function () {
  var form = document.querySelector("[data-person-form]");
  if (!form) return;
  var kind = form.querySelector("#id_document_type");
  var derived = ["#id_birth_date", "#id_sex"].map(function (sel) {
    var input = form.querySelector(sel);
    return input ? input.closest(".mb-3") : null;
  });
  function sync() {
    var fromId = kind.value === "resident_id" || kind.value === "hkmt_residence";
    derived.forEach(function (block) { if (block) block.hidden = fromId; });
  }
  kind.addEventListener("change", sync);
  sync();
})();
