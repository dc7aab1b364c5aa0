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
