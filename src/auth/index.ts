// Public entry of the auth feature: who is signed in (the actor and their roles), sign-in, sessions, guards,
// passwords, limits of repeated attempts.
export { loadActor, type AbsentHead, type Actor } from './actor.js';
export {
  authorizes,
  headsInOwnRight,
  isCompanyAdmin,
  isServicesHead,
  isUnitHead,
  isWorker,
  roleKeys,
} from './roles.js';
export { actorOf, requireAuth, requireRole } from './guards.js';
export { unlockAccount, type LoginThrottleDeps } from './login-throttle.js';
export { createPassport, normalizeEmail } from './passport.js';
export { burnPasswordCheck, hashPassword, verifyPassword } from './passwords.js';
export { limitAttempts, TooManyAttemptsError, type AttemptLimit } from './rate-limit.js';
export { authRoutes, prefillSignIn, SECOND_STEP_PATHS } from './routes.js';
export { NO_HOOKS, recordSignInAttempt, SignInRefusedError, type SignInDeps, type SignInHooks } from './sign-in.js';
export { type SignInLogEntry } from './queries.js';
export { establishSession, PENDING_SIGN_IN_MS, pendingSignIn, type PendingSignIn } from './session-login.js';
export { beginLoginAttempt, settleLoginAttempt, type AttemptOutcome } from './login-throttle.js';
export { CachedSessionStore, forgetSessionsOf, SESSION_CACHE_TTL_MS } from './session-cache.js';
