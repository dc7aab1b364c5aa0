// Small progressive enhancements; every page works without them.
document.addEventListener('change', (event) => {
  const form = event.target instanceof HTMLElement ? event.target.closest('form[data-autosubmit]') : null;
  if (form) form.requestSubmit();
});

// Buttons with data-confirm ask before submitting a destructive form.
document.addEventListener('submit', (event) => {
  const submitter = event.submitter;
  const message = submitter?.dataset.confirm ?? event.target?.dataset?.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// A form being sent shows it and cannot be sent again until the page answers (the server also ignores a repeated
// post of the same form: see src/submissions).
const SENDING = { es: 'Enviando…', en: 'Sending…', 'pt-BR': 'Enviando…' };
const sendingText = () => SENDING[document.documentElement.lang] ?? SENDING.es;
const submitButtons = (form) =>
  form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');

function markSending(form, submitter) {
  form.dataset.sending = '';
  form.setAttribute('aria-busy', 'true');
  for (const button of submitButtons(form)) button.disabled = true;
  if (submitter instanceof HTMLButtonElement) {
    submitter.dataset.label = submitter.innerHTML;
    submitter.innerHTML = '<span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span>';
    submitter.append(sendingText());
  } else if (submitter instanceof HTMLInputElement) {
    submitter.dataset.label = submitter.value;
    submitter.value = sendingText();
  }
}

const idleTimers = new WeakMap();

function markIdle(form) {
  clearTimeout(idleTimers.get(form));
  delete form.dataset.sending;
  form.removeAttribute('aria-busy');
  for (const button of submitButtons(form)) {
    button.disabled = false;
    if (button.dataset.label === undefined) continue;
    if (button instanceof HTMLInputElement) button.value = button.dataset.label;
    else button.innerHTML = button.dataset.label;
    delete button.dataset.label;
  }
}

document.addEventListener('submit', (event) => {
  const form = event.target;
  if (
    event.defaultPrevented ||
    !(form instanceof HTMLFormElement) ||
    form.getAttribute('method')?.toLowerCase() !== 'post'
  )
    return;
  if (form.dataset.sending !== undefined) {
    event.preventDefault();
    return;
  }
  form.dataset.sending = '';
  const submitter = event.submitter ?? submitButtons(form)[0];
  // Disabled after the browser has taken the form's values: a disabled button would not send its own name and value.
  setTimeout(() => markSending(form, submitter));
  // If the answer never comes (the person stopped the page), the form can be sent again after a while.
  idleTimers.set(
    form,
    setTimeout(() => markIdle(form), 30_000),
  );
});

// Back to a page kept in the back/forward cache: its forms are as they were before sending.
window.addEventListener('pageshow', (event) => {
  if (!event.persisted) return;
  for (const form of document.querySelectorAll('form[data-sending]')) markIdle(form);
});

// "Nueva solicitud": only the categories of the chosen service area are offered.
const requestForm = document.querySelector('form[data-request-form]');
if (requestForm) {
  const area = requestForm.querySelector('#serviceAreaId');
  const category = requestForm.querySelector('#categoryId');
  const sync = () => {
    for (const group of category.querySelectorAll('optgroup')) {
      const match = !area.value || group.dataset.area === area.value;
      group.hidden = !match;
      group.disabled = !match;
    }
    const selected = category.selectedOptions[0];
    if (selected && selected.dataset.area && area.value && selected.dataset.area !== area.value) category.value = '';
  };
  area.addEventListener('change', sync);
  sync();
}

// Request forms (signed-in and guest): the chosen category's description and fields only; the others' fields are
// disabled, so they are neither required nor sent.
for (const form of document.querySelectorAll('form[data-request-form], form[data-guest-form]')) {
  const category = form.querySelector('#categoryId');
  if (!category) continue;
  const show = () => {
    for (const block of form.querySelectorAll('[data-fields-of]')) {
      const chosen = block.dataset.fieldsOf === category.value;
      block.hidden = !chosen;
      for (const set of block.querySelectorAll('fieldset')) set.disabled = !chosen;
    }
  };
  category.addEventListener('change', show);
  show();
}

// After a refused form (422) the error summary takes the focus, so it is read out; each of its links takes the focus
// to its field and names the field before the message.
const errorSummary = document.querySelector('[data-error-summary]');
if (errorSummary) {
  for (const link of errorSummary.querySelectorAll('a[href^="#"]')) {
    const field = document.getElementById(link.getAttribute('href').slice(1));
    if (!field) continue;
    // A group of boxes is named by its legend, any other field by its label.
    const legend = /checkbox|radio/.test(field.type) && field.closest('fieldset')?.querySelector('legend');
    const label = (legend || field.labels?.[0])?.textContent;
    if (label) link.prepend(`${label.trim()}: `);
    link.addEventListener('click', (event) => {
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: 'center' });
    });
  }
  errorSummary.focus();
}

// A table wider than its box scrolls inside it: the box then takes the keyboard focus (to scroll it with the arrow
// keys) and is named after the table's caption or heading.
function markScrollables() {
  for (const box of document.querySelectorAll('.table-responsive')) {
    if (box.scrollWidth > box.clientWidth + 1) {
      if (box.hasAttribute('tabindex')) continue;
      const table = box.querySelector('table');
      const labelledBy = table?.getAttribute('aria-labelledby');
      const name =
        table?.caption?.textContent ||
        table?.getAttribute('aria-label') ||
        (labelledBy && document.getElementById(labelledBy)?.textContent) ||
        document.querySelector('h1')?.textContent ||
        document.title;
      box.setAttribute('tabindex', '0');
      box.setAttribute('role', 'region');
      box.setAttribute('aria-label', name.trim());
    } else if (box.getAttribute('tabindex') === '0') {
      box.removeAttribute('tabindex');
      box.removeAttribute('role');
      box.removeAttribute('aria-label');
    }
  }
}
markScrollables();
window.addEventListener('resize', () => requestAnimationFrame(markScrollables));
