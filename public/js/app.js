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
