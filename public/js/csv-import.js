// Reads a chosen CSV file into the textarea, so the file and a paste go through the same preview.
document.querySelectorAll('input[type=file][data-csv-target]').forEach((input) => {
  input.addEventListener('change', async () => {
    const file = input.files && input.files[0];
    const target = document.getElementById(input.dataset.csvTarget);
    if (file && target) target.value = await file.text();
  });
});
