// Public entry of the demo feature.
export { DEMO_ACCOUNTS_TABLE, DEMO_PASSWORD, demoAccounts, seedDemoData } from './seed.js';
