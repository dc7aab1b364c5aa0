import { Router } from 'express';
import type { Config } from '../config.js';
import { NotFoundError } from '../web/errors.js';
import { listStoredMail, readStoredMail } from './mailer.js';

/** Outside production, the messages written to DATA_DIR/mail can be read at /dev/correo (with working links). */
export function devMailRoutes(config: Config) {
  const router = Router();
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
