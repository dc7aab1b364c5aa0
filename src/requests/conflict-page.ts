// Someone acted first on a request (a decision, an edit in another tab): Post/Redirect/Get to the request as it is
// now, with what happened ("already <done> by X on <date>") in a flash message, so reloading posts nothing again.
// 303 (See Other): the action was not applied. Never a 500.
import type { Request, Response } from 'express';
import { actorOf } from '../auth/index.js';
import type { ConflictError } from '../web/errors.js';
import { flash } from '../web/flash.js';
import { safeReturn, withReturn } from '../web/safe-next.js';
import { formatDateTime, formatNumber } from '../web/view-helpers.js';

export function redirectOnConflict(req: Request, res: Response, err: ConflictError) {
  const p = err.params as { event: string; who: string; when: Date; requestId: number; number: number };
  // Closed by the scheduled job: nobody to name.
  const key = p.event === 'AUTO_CLOSE' ? 'requests.conflict.bodyAuto' : 'requests.conflict.body';
  const message = req.t(key, {
    number: formatNumber('SOL', p.number),
    what: req.t(`requests.eventsPast.${p.event}`),
    who: p.who,
    when: formatDateTime(p.when, actorOf(req).timezone, req.lang),
  });
  flash(req, 'warning', `${req.t('requests.conflict.title')}: ${message}`);
  res.redirect(303, withReturn(`/solicitudes/${p.requestId}`, safeReturn(req.body?.volver ?? req.query.volver)));
}
