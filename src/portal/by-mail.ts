// What replies by email (src/inbound-mail) use of the portal: the company of an intake address, the category a
// request by mail is filed under, and a guest's reply by mail to a request of theirs.
import { fieldsByCategory } from '../org/index.js';
import type { PreparedFile } from '../conversation/index.js';
import { ForbiddenError, NotFoundError } from '../web/errors.js';
import { mayReplyAsGuest } from './policy.js';
import { catalogue, companyBySlug, guestView, portalById, type PortalCompany } from './queries.js';
import { commentAsGuest, type PortalDeps } from './service.js';

/** The company whose portal is switched on at that slug (an intake address's local part), else null. */
export async function intakePortal(deps: Pick<PortalDeps, 'db'>, slug: string): Promise<PortalCompany | null> {
  return /^[a-z0-9-]{3,40}$/.test(slug) ? companyBySlug(deps.db, slug) : null;
}

/**
 * The category of a request by mail (the guest form asks for one; a mail says none): the first of the portal's
 * catalogue, in its order (area, then category name), that has no required field a mail could not answer. The
 * people deciding may correct it. Null when no category fits.
 */
export async function mailIntakeCategory(
  deps: Pick<PortalDeps, 'db'>,
  company: PortalCompany,
): Promise<{ serviceAreaId: number; categoryId: number } | null> {
  const areas = await catalogue(deps.db, company.id);
  const candidates = areas.flatMap((a) => a.categories.map((c) => ({ serviceAreaId: a.id, categoryId: c.id })));
  const fields = await fieldsByCategory(
    deps.db,
    company.id,
    candidates.map((c) => c.categoryId),
  );
  return candidates.find((c) => !(fields.get(c.categoryId) ?? []).some((f) => f.required)) ?? null;
}

/**
 * A guest's reply by mail: a public comment of their request, as a reply on its status page is (the portal switched
 * on, the request neither cancelled nor rejected — else ForbiddenError with the reason).
 */
export async function replyByMailAsGuest(
  deps: Pick<PortalDeps, 'db' | 'clock' | 'attachments'>,
  companyId: number,
  requestId: number,
  body: string,
  files: readonly PreparedFile[],
) {
  const company = await portalById(deps.db, companyId);
  if (!company) throw new ForbiddenError('inbound.refused.portalOff');
  const request = await guestView(deps.db, company.id, requestId);
  if (!request) throw new NotFoundError();
  if (!mayReplyAsGuest(request)) throw new ForbiddenError('inbound.refused.closed');
  return commentAsGuest(deps, company, request, body, files);
}
