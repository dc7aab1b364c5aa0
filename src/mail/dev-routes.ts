import { Router } from 'express';
import type { Config } from '../config.js';
import { NotFoundError } from '../web/errors.js';
import { listStoredMail, readStoredMail } from './mailer.js';

/** Whether a socket's peer is this machine (127.0.0.0/8 or ::1, also as IPv4-mapped IPv6). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Outside production, the messages written to DATA_DIR/mail can be read at /dev/correo (with working links) —
 * from this machine only: they hold reset links. The socket's address decides, never X-Forwarded-For.
 */
export function devMailRoutes(config: Config) {
  const router = Router();
  router.use('/dev/correo', (req, _res, next) =>
    next(isLoopback(req.socket.remoteAddress) ? undefined : new NotFoundError()),
  );
  router.get('/dev/correo', async (req, res) => {
    res.render('dev/mailbox', {
      title: req.t('devMail.title'),
      messages: await listStoredMail(config),
      smtp: Boolean(config.SMTP_URL),
    });
  });
  router.get('/dev/correo/:id', async (req, res) => {
    const message = await readStoredMail(config, req.params.id);
    if (!message) throw new NotFoundError();
    res.render('dev/message', { title: message.subject, message });
  });
  router.get('/dev/correo/:id/html', async (req, res) => {
    const message = await readStoredMail(config, req.params.id);
    if (!message) throw new NotFoundError();
    // The message's own inline styles are allowed on this page only; scripts never are.
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
    );
    res.type('html').send(message.html);
  });
  return router;
}
