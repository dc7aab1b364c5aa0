// Public entry of the organization feature: the signed-in actor, the role policies.
export { loadActor, type Actor } from './actor.js';
export {
  authorizes,
  headsInOwnRight,
  isCompanyAdmin,
  isServicesHead,
  isUnitHead,
  isWorker,
  roleKeys,
} from './policy.js';
