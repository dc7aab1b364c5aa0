// Every scenario of `npm run bench`, in the order they run: the references first (the budget is measured against
// them), then reads, the large company's reads, writes and sign-ins.
import { guestScenarios } from './guest.js';
import { onLargeCompany } from './large.js';
import { companyReadScenarios, otherReadScenarios, referenceScenarios } from './read.js';
import { writeScenarios } from './write.js';

export type { Scenario, ScenarioContext, Person } from './context.js';
export { vacuumWritten } from './context.js';

export const scenarios = [
  ...referenceScenarios,
  ...companyReadScenarios,
  ...otherReadScenarios,
  ...guestScenarios,
  ...companyReadScenarios.map(onLargeCompany),
  ...writeScenarios,
];
