// QR posters (issue 19): one per location, printed by an administrator; the code opens the portal's form with the
// location filled in.
import type { Actor } from '../auth/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { NotFoundError } from '../web/errors.js';
import { qrSvg } from '../web/qr-code.js';
import { ownPortal } from './queries.js';

/** The company's portal for the poster form; a portal switched off is a 404 (there is nothing to point at). */
export async function posterForm(deps: { db: Db }, actor: Actor) {
  const portal = await ownPortal(deps.db, actor.companyId);
  if (!portal) throw new NotFoundError('portal.poster.off');
  return portal;
}

/** A poster: the location, its instructions and the QR code (inline SVG) of the form's address for it. */
export async function posterFor(
  deps: { db: Db; config: Config },
  actor: Actor,
  input: { location: string; instructions: string | null },
) {
  const portal = await posterForm(deps, actor);
  const url = `${deps.config.appUrl}/p/${portal.slug}/solicitud?lugar=${encodeURIComponent(input.location)}`;
  const svg = await qrSvg(url, { errorCorrectionLevel: 'M', margin: 1 });
  return { ...input, company: portal.name, url, svg };
}
