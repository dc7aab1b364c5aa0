import path from 'node:path';
import connectPgSimple from 'connect-pg-simple';
import express from 'express';
import session from 'express-session';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { absenceRoutes, absencesNavSection } from './absences/index.js';
import { apiRoutes } from './api/index.js';
import { apiTokenRoutes } from './api-tokens/index.js';
import { webhookRoutes } from './webhooks/index.js';
import { accountPublicRoutes, accountRoutes, sendUnlockLink } from './accounts/index.js';
import { authRoutes, CachedSessionStore, createPassport, requireAuth } from './auth/index.js';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { namingPool } from './db/sql.js';
import { Attachments } from './conversation/index.js';
import { LocalDiskStorage } from './conversation/index.js';
import { multipartParser } from './conversation/index.js';
import { healthRoutes } from './health/index.js';
import { homeRoutes } from './home/index.js';
import { requestNavSections, requestRoutes } from './requests/index.js';
import { satisfactionRoutes, surveyKey } from './satisfaction/index.js';
import { ticketRoutes } from './tickets/index.js';
import { indicatorRoutes, indicatorsNav } from './indicators/index.js';
import { landingRoutes } from './landing/index.js';
import { createMailer, devMailRoutes, type Mailer } from './mail/index.js';
import { notificationAdminRoutes, notificationPreferenceRoutes } from './notifications/index.js';
import { adminNavSection, adminRoutes } from './org/index.js';
import { platformNavSection, platformRoutes } from './platform/index.js';
import { portalAdminRoutes, portalRoutes } from './portal/index.js';
import { privacyRoutes } from './privacy/index.js';
import { signInLogRoutes } from './sign-in-log/index.js';
import { passwordRefusal, ssoAdminRoutes, ssoSignInRoutes } from './sso/index.js';
import { secondStepFor, twoFactorRoutes, twoFactorSignInRoutes } from './two-factor/index.js';
import { signupRoutes } from './signup/index.js';
import { formKeys, onceMiddleware } from './submissions/index.js';
import { projectRoot } from './paths.js';
import {
  BASELINE_PATH,
  mountBenchBaseline,
  mountOneStatementBaseline,
  SIGNED_IN_BASELINE_PATH,
} from './web/bench-baseline.js';
import { errorHandler, notFoundHandler } from './web/error-handler.js';
import { inputGuard } from './web/input-guard.js';
import { languageRoutes } from './web/language-routes.js';
import { navigationMiddleware, type NavSection } from './web/navigation.js';
import { flashMessages } from './web/flash.js';
import { languageMiddleware, saveSessionBeforeRedirect } from './web/request-context.js';
import { csrfProtection, securityHeaders } from './web/security.js';
import { fragmentRenderer } from './web/fragments.js';
import { viewHelpers } from './web/view-helpers.js';
import { viewOptions } from './web/view-options.js';

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  /** Injected so tests can control time. */
  clock?: () => Date;
  /** Defaults to SMTP (SMTP_URL) or files under DATA_DIR/mail. */
  mailer?: Mailer;
}

/** Builds the Express application without listening (server.ts listens; tests use supertest). */
export function createApp({
  config,
  db,
  logger,
  clock = () => new Date(),
  mailer = createMailer(config, logger),
}: AppDeps) {
  const app = express();
  const prisma = db.prisma;
  const passport = createPassport(prisma, clock);
  const linkDeps = { db: prisma, config, mailer, logger, clock };
  const identityDeps = { db: prisma, config, clock };
  const navSections: NavSection[] = [
    ...requestNavSections(),
    absencesNavSection(),
    indicatorsNav,
    adminNavSection(),
    platformNavSection(config),
  ];
  const attachments = new Attachments(new LocalDiskStorage(config.UPLOAD_DIR), {
    maxBytes: Math.floor(config.UPLOAD_MAX_MB * 1024 * 1024),
    maxFiles: config.UPLOAD_MAX_FILES,
  });

  app.set('trust proxy', config.TRUST_PROXY);
  app.set('view engine', 'ejs');
  const views = path.join(projectRoot, 'views');
  app.set('views', views);
  app.set('view cache', config.isProduction);
  const compileOptions = viewOptions(views);
  app.set('view options', compileOptions);
  app.disable('x-powered-by');
  // Pages are personal and change with every decision; hashing each body for an ETag
  // cost more than it ever saved.
  app.set('etag', false);
  Object.assign(app.locals, viewHelpers, {
    fragment: fragmentRenderer({ viewOptions: compileOptions, cache: config.isProduction, helpers: viewHelpers }),
  });

  // The benchmark's ceiling comes before every middleware (see bench/run.ts).
  if (config.BENCH_BASELINE) {
    mountBenchBaseline(app, BASELINE_PATH);
    mountOneStatementBaseline(app, db.pool);
  }

  // One line per request, at `info`. At a quieter level nothing of it would be written,
  // yet the request logger would still build a child logger and listeners per request
  // (~4 % of a page's CPU), so it is not mounted; errors are logged by errorHandler.
  if (logger.isLevelEnabled('info')) {
    app.use(
      pinoHttp({
        logger,
        // Static files and health checks would drown the log.
        autoLogging: { ignore: (req) => req.url === '/health' || (req.url ?? '').startsWith('/static/') },
        redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
      }),
    );
  }
  app.use(securityHeaders(config.isProduction));

  const staticOpts = { maxAge: config.isProduction ? '7d' : 0, index: false as const };
  const nm = path.join(projectRoot, 'node_modules');
  app.use('/static/bootstrap', express.static(path.join(nm, 'bootstrap', 'dist'), staticOpts));
  app.use('/static/bootstrap-icons', express.static(path.join(nm, 'bootstrap-icons', 'font'), staticOpts));
  app.use('/static/chartjs', express.static(path.join(nm, 'chart.js', 'dist'), staticOpts));
  app.use('/static/swagger-ui', express.static(path.join(nm, 'swagger-ui-dist'), staticOpts));
  app.use('/static', express.static(path.join(projectRoot, 'public'), staticOpts));

  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/static/favicon.svg'));
  app.use(healthRoutes(prisma));
  // The REST API: bearer tokens, no session or CSRF (src/api).
  app.use(
    '/api',
    apiRoutes({ ...linkDeps, pool: db.pool, attachments, surveyKey: surveyKey(config.SESSION_SECRET) }).router,
  );

  app.use(express.urlencoded({ extended: false, limit: '200kb' }));
  const secureCookies = config.isProduction && config.appUrl.startsWith('https:');
  const PgStore = connectPgSimple(session);
  app.use(
    session({
      name: 'sid',
      // No touch: an unchanged session is not written back on every request
      // (it expires SESSION_MAX_AGE_HOURS after sign-in).
      store: new CachedSessionStore(
        new PgStore({
          pool: namingPool(db.pool),
          tableName: 'session',
          createTableIfMissing: false,
          pruneSessionInterval: 60 * 15,
          disableTouch: true,
        }),
      ),
      secret: config.SESSION_SECRET,
      resave: false,
      saveUninitialized: false,
      rolling: false,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        // Secure in production when served over https (behind a TLS proxy, set TRUST_PROXY to its hop count);
        // a Secure cookie over plain http would never come back and nobody could sign in.
        secure: secureCookies,
        maxAge: config.SESSION_MAX_AGE_HOURS * 3600_000,
      },
    }),
  );
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(languageMiddleware);
  app.use(flashMessages({ secret: config.SESSION_SECRET, secure: secureCookies }));
  const csrf = csrfProtection({ secret: config.SESSION_SECRET, secure: secureCookies });
  app.use(saveSessionBeforeRedirect);
  app.use((req, res, next) => {
    // Lazy: a token is only made for pages that actually carry a form.
    res.locals.csrfToken = () => csrf.generateToken(req);
    // The hidden fields of a signed-in page's state-changing form: CSRF token and a fresh one-time key.
    res.locals.formKeys = () => formKeys(csrf.generateToken(req));
    res.locals.currentUser = req.user ?? null;
    res.locals.currentPath = req.path;
    res.locals.title = '';
    // Public pages can be seen signed in; the navigation middleware fills this in for the others.
    res.locals.nav = [];
    next();
  });
  // Forms with files are parsed before the CSRF check, which reads their _csrf field.
  app.use(multipartParser(attachments.limits, config.UPLOAD_DIR));
  app.use(inputGuard);
  app.use(csrf.csrfSynchronisedProtection);

  app.use(
    authRoutes({
      db: prisma,
      config,
      clock,
      onAccountLocked: (email) => sendUnlockLink(linkDeps, email),
      // The company's identity provider may forbid passwords; a second step may follow them (issue 21).
      hooks: {
        passwordRefusal: (email) => passwordRefusal(identityDeps, email),
        secondStep: (actor) => secondStepFor(identityDeps, actor),
      },
    }),
  );
  app.use(ssoSignInRoutes(identityDeps));
  app.use(twoFactorSignInRoutes(identityDeps));
  app.use(languageRoutes());
  app.use(landingRoutes());
  app.use(signupRoutes(linkDeps));
  app.use(portalRoutes({ ...linkDeps, attachments }));
  app.use(accountPublicRoutes(linkDeps));
  app.use(satisfactionRoutes({ db: prisma, clock }));
  if (!config.isProduction) app.use(devMailRoutes(config));

  app.use(requireAuth);
  // A repeated post of a signed-in form (same one-time key) writes nothing and gets the first post's answer.
  app.use(onceMiddleware(namingPool(db.asyncCommitPool)));
  app.use(navigationMiddleware(navSections));
  // The benchmark's page behind the whole stack of a signed-in page (see bench-baseline.ts).
  if (config.BENCH_BASELINE) mountBenchBaseline(app, SIGNED_IN_BASELINE_PATH);
  app.use(homeRoutes({ db: prisma, clock }));
  app.use(requestRoutes({ db: prisma, clock, attachments, surveyKey: surveyKey(config.SESSION_SECRET) }));
  app.use(ticketRoutes(prisma, clock));
  app.use(indicatorRoutes(prisma, clock));
  app.use(accountRoutes({ db: prisma, config, clock }));
  app.use(adminRoutes(linkDeps));
  app.use(absenceRoutes({ db: prisma, clock }));
  app.use(notificationAdminRoutes(prisma, config));
  app.use(notificationPreferenceRoutes(prisma));
  app.use(apiTokenRoutes({ db: prisma, clock }));
  app.use(webhookRoutes({ db: prisma, config, clock }));
  app.use(platformRoutes(prisma, config));
  app.use(portalAdminRoutes({ db: prisma, config }));
  app.use(ssoAdminRoutes(identityDeps));
  app.use(twoFactorRoutes(identityDeps));
  app.use(signInLogRoutes(prisma));
  app.use(privacyRoutes(identityDeps));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
