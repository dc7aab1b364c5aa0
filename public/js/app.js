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
