// The visit form keeps a draft on the phone while it is filled in, because signal comes and goes
// in the field: the draft is restored when the form is opened again, and cleared once the server
// has saved the visit (the list it returns to names the household in data-draft-sent).
(function () {
  function store(action, key, value) {
    try {
      if (action === "get") return window.localStorage.getItem(key);
      if (action === "set") window.localStorage.setItem(key, value);
      if (action === "remove") window.localStorage.removeItem(key);
    } catch (e) { /* private mode or storage full: the form still works, without a draft */ }
    return null;
  }

  var sent = document.querySelector("[data-draft-sent]");
  if (sent) store("remove", sent.getAttribute("data-draft-sent"));

  var form = document.querySelector("form[data-draft-key]");
  if (!form) return;
  var key = form.getAttribute("data-draft-key");
  var note = document.querySelector("[data-testid=draft-restored]");

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit" &&
        el.type !== "button" && el.type !== "hidden";
    });
  }

  function save() {
    var values = {};
    fields().forEach(function (el) {
      if (el.type === "radio") { if (el.checked) values[el.name] = el.value; }
      else if (el.type === "checkbox") values[el.name] = el.checked;
      else values[el.name] = el.value;
    });
    store("set", key, JSON.stringify({ values: values, saved: Date.now() }));
  }

  function restore(values) {
    fields().forEach(function (el) {
      if (!Object.prototype.hasOwnProperty.call(values, el.name)) return;
      var value = values[el.name];
      if (el.type === "radio") el.checked = el.value === value;
      else if (el.type === "checkbox") el.checked = value === true;
      else el.value = value;
    });
  }

  var draft = null;
  try { draft = JSON.parse(store("get", key) || "null"); } catch (e) { draft = null; }
  // A form sent back by the server with errors already holds what was typed: restore only a
  // freshly opened one.
  if (draft && draft.values && form.hasAttribute("data-draft-fresh")) {
    restore(draft.values);
    if (note) note.hidden = false;
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  if (note) {
    note.querySelector("[data-testid=draft-discard]").addEventListener("click", function () {
      store("remove", key);
      form.reset();
      note.hidden = true;
    });
  }
})();
