// Public entry of the auth feature: sign-in, sessions, guards, passwords, limits of repeated attempts.
export { actorOf, requireAuth, requireRole } from './guards.js';
export { unlockAccount, type LoginThrottleDeps } from './login-throttle.js';
export { createPassport, normalizeEmail } from './passport.js';
export { burnPasswordCheck, hashPassword, verifyPassword } from './passwords.js';
export { limitAttempts, TooManyAttemptsError, type AttemptLimit } from './rate-limit.js';
export { authRoutes } from './routes.js';
export { safeNext } from './safe-next.js';
export { CachedSessionStore, forgetSessionsOf, SESSION_CACHE_TTL_MS } from './session-cache.js';
