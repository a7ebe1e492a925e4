// Commune picker: turns every input[data-commune-picker] into an ARIA 1.2
// combobox backed by GET /api/v1/communes/?q=. The visible input shows
// "Name (dept)"; a hidden input carries the INSEE code under the field's name,
// and "<name>_picked" = 1 tells the server it is a code chosen in the list.
// Typed text that was not picked is submitted as is (no marker): the server's
// CommuneField accepts a unique name, a postal code or "Name (dept)", and
// reads 5 typed digits as a postal code first.

const DEBOUNCE_MS = 200;
const MIN_LENGTH = 2;
const LIMIT = 10;

const stylesheet = new URL("./commune-picker.css", import.meta.url).href;
// Django's JavaScript catalog (/jsi18n/, in the page's language) gives the
// gettext functions; without it the French source strings are shown.
const CATALOG_URL = "/jsi18n/";

function loadCatalog() {
  if (window.django && window.django.gettext) return Promise.resolve();
  return new Promise((resolve) => {
    const script = document.createElement("script");
    script.src = CATALOG_URL;
    script.addEventListener("load", resolve);
    script.addEventListener("error", resolve);
    document.head.append(script);
  });
}

function gettext(text) {
  return window.django && window.django.gettext ? window.django.gettext(text) : text;
}

function ngettext(singular, plural, count) {
  if (window.django && window.django.ngettext) {
    return window.django.ngettext(singular, plural, count);
  }
  return count === 1 ? singular : plural;
}

function loadStylesheet() {
  if (document.querySelector(`link[href="${stylesheet}"]`)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = stylesheet;
  document.head.append(link);
}

function countMessage(count) {
  if (count === 0) return gettext("Aucune commune trouvée.");
  const message = ngettext(
    "%s commune trouvée, utilisez les flèches pour la choisir.",
    "%s communes trouvées, utilisez les flèches pour choisir.",
    count,
  );
  return message.replace("%s", String(count));
}

let pickerCount = 0;

class CommunePicker {
  constructor(input) {
    pickerCount += 1;
    this.input = input;
    this.url = input.dataset.communePicker;
    this.results = [];
    this.active = -1;
    this.timer = null;
    this.controller = null;
    this.lastQuery = null;
    this.build(`commune-picker-${pickerCount}`);
    this.bind();
  }

  build(prefix) {
    const { input } = this;
    this.wrapper = document.createElement("div");
    this.wrapper.className = "commune-picker";
    input.before(this.wrapper);

    this.hidden = document.createElement("input");
    this.hidden.type = "hidden";
    this.hidden.name = input.name;
    this.hidden.value = input.dataset.communeInsee || input.value;
    this.picked = document.createElement("input");
    this.picked.type = "hidden";
    this.picked.name = `${input.name}_picked`;
    this.picked.value = input.dataset.communeInsee ? "1" : "";
    input.removeAttribute("name");
    if (input.dataset.communeLabel) input.value = input.dataset.communeLabel;
    const current = input.nextElementSibling;
    if (current && current.classList.contains("commune-current")) current.remove();

    this.list = document.createElement("ul");
    this.list.id = `${prefix}-list`;
    this.list.className = "commune-picker-list";
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", gettext("Communes proposées"));
    this.list.hidden = true;

    this.status = document.createElement("div");
    this.status.className = "commune-picker-status";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");

    this.optionPrefix = `${prefix}-option`;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.list.id);
    input.setAttribute("autocomplete", "off");
    input.setAttribute("autocapitalize", "none");
    input.setAttribute("spellcheck", "false");
    input.setAttribute("enterkeyhint", "search");
    this.wrapper.append(input, this.list, this.status, this.hidden, this.picked);
  }

  bind() {
    this.input.addEventListener("input", () => this.onInput());
    this.input.addEventListener("keydown", (event) => this.onKeydown(event));
    this.input.addEventListener("blur", () => this.close());
    // Keep the focus in the input while a finger or mouse picks an option.
    this.list.addEventListener("mousedown", (event) => event.preventDefault());
    this.list.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) this.choose(Number(option.dataset.index));
    });
  }

  onInput() {
    this.hidden.value = this.input.value.trim();
    this.picked.value = "";
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fetchResults(), DEBOUNCE_MS);
  }

  async fetchResults() {
    const query = this.input.value.trim();
    if (query === this.lastQuery) return;
    this.lastQuery = query;
    if (this.controller) this.controller.abort();
    if (query.length < MIN_LENGTH) {
      this.show([]);
      this.status.textContent = "";
      return;
    }
    this.controller = new AbortController();
    const url = `${this.url}?${new URLSearchParams({ q: query, limit: LIMIT })}`;
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: this.controller.signal,
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      this.show(await response.json());
      this.status.textContent = countMessage(this.results.length);
    } catch (error) {
      if (error.name === "AbortError") return;
      this.show([]);
      this.status.textContent = gettext("La recherche de communes est indisponible.");
    }
  }

  show(results) {
    this.results = results;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.list.replaceChildren(
      ...results.map((commune, index) => this.option(commune, index)),
    );
    if (results.length) this.open();
    else this.close();
  }

  option(commune, index) {
    const item = document.createElement("li");
    item.id = `${this.optionPrefix}-${index}`;
    item.className = "commune-picker-option";
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    item.dataset.index = String(index);
    const name = document.createElement("span");
    name.textContent = commune.label;
    const detail = document.createElement("span");
    detail.className = "commune-picker-detail";
    const codes = commune.postal_codes.slice(0, 3).join(", ");
    detail.textContent = `${commune.department_name}${codes ? ` · ${codes}` : ""}`;
    item.append(name, detail);
    return item;
  }

  open() {
    if (!this.results.length) return;
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.highlight(-1);
  }

  isOpen() {
    return !this.list.hidden;
  }

  highlight(index) {
    const options = this.list.querySelectorAll("[role=option]");
    options.forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === index));
    });
    this.active = index;
    if (index >= 0 && options[index]) {
      this.input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }
  }

  move(step) {
    if (!this.results.length) return;
    if (!this.isOpen()) this.open();
    const count = this.results.length;
    const start = this.active < 0 && step < 0 ? count : this.active;
    const next = (start + step + count) % count;
    this.highlight(next);
  }

  choose(index) {
    const commune = this.results[index];
    if (!commune) return;
    this.hidden.value = commune.insee;
    this.picked.value = "1";
    this.input.value = commune.label;
    this.lastQuery = commune.label;
    this.close();
    this.status.textContent = `${commune.label} choisie.`;
    const picked = new CustomEvent("commune-picked", { bubbles: true, detail: commune });
    this.input.dispatchEvent(picked);
  }

  onKeydown(event) {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (event.altKey) this.open();
        else this.move(1);
        break;
      case "ArrowUp":
        event.preventDefault();
        this.move(-1);
        break;
      case "Enter":
        if (this.isOpen() && this.active >= 0) {
          event.preventDefault();
          this.choose(this.active);
        }
        break;
      case "Escape":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = "";
          this.hidden.value = "";
          this.picked.value = "";
          this.lastQuery = "";
          this.results = [];
        }
        break;
      default:
        break;
    }
  }
}

function enhanceAll(root = document) {
  const selector = "input[data-commune-picker]:not([data-commune-picker-ready])";
  const inputs = root.querySelectorAll(selector);
  if (inputs.length) loadStylesheet();
  inputs.forEach((input) => {
    input.dataset.communePickerReady = "true";
    new CommunePicker(input);
  });
}

await loadCatalog();
enhanceAll();

export { enhanceAll };
