// The 409 page of a request that changed meanwhile: "already <done> by X on <date>", never a 500.
import type { Request, Response } from 'express';
import { actorOf } from '../auth/index.js';
import type { ConflictError } from '../web/errors.js';
import { formatDateTime, formatNumber } from '../web/view-helpers.js';

export function renderConflict(req: Request, res: Response, err: ConflictError) {
  const p = err.params as { event: string; who: string; when: Date; requestId: number; number: number };
  res.status(409).render('requests/conflict', {
    title: req.t('requests.conflict.title'),
    requestId: p.requestId,
    message: req.t('requests.conflict.body', {
      number: formatNumber('SOL', p.number),
      what: req.t(`requests.eventsPast.${p.event}`),
      who: p.who,
      when: formatDateTime(p.when, actorOf(req).timezone, req.lang),
    }),
  });
}
