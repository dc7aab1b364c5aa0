// The home page's use case: each person's to-do. What waits for them in each role (oldest and most overdue first,
// with counts), their open requests with whom they wait on, the requests they follow and, to an administrator, what
// keeps requests from moving and (for a new company) the setup checklist until it is done.
import type { Actor } from '../auth/index.js';
import { isCompanyAdmin, roleKeys } from '../auth/index.js';
import { dueBadge } from '../calendar/index.js';
import type { Db } from '../db/client.js';
import { waitingFor } from '../requests/index.js';
import { adminFacts, markSetupDone, todoLists, type SetupFacts, type TodoRow } from './queries.js';

export interface HomeDeps {
  db: Db;
  clock: () => Date;
}

/** The setup checklist's items, in order, each with the page where it is done. */
const SETUP_ITEMS = [
  { key: 'units', href: '/admin/unidades' },
  { key: 'people', href: '/admin/personas/invitar' },
  { key: 'categories', href: '/admin/categorias' },
  { key: 'channels', href: '/admin/notificaciones/canales' },
] as const;

/**
 * The checklist of a company whose setup is not done, computed from its data (nothing to tick or dismiss); once
 * every item is done it is recorded and never computed again. Null: done.
 */
async function setupChecklist({ db, clock }: HomeDeps, actor: Actor, facts: SetupFacts) {
  if (facts.done) return null;
  const items = SETUP_ITEMS.map((i) => ({ ...i, done: facts[i.key] }));
  if (items.every((i) => i.done)) {
    await markSetupDone(db, actor.companyId, clock());
    return null;
  }
  return items;
}

/** Whom the requester's open request waits on: the authorizer, the services head, or the worker on it. */
function waitingOn(r: TodoRow): { key: string; params: Record<string, string> } | null {
  if (r.status === 'APPROVED' && r.ticket) return { key: 'home.waitingWorker', params: { name: r.ticket.workerName } };
  return waitingFor(r);
}

export async function homeOf(deps: HomeDeps, actor: Actor) {
  const admin = isCompanyAdmin(actor);
  const [lists, facts] = await Promise.all([
    todoLists(deps.db, actor),
    admin ? adminFacts(deps.db, actor.companyId) : null,
  ]);
  const problems = facts?.problems ?? null;
  const setup = facts ? await setupChecklist(deps, actor, facts.setup) : null;
  const now = deps.clock();
  const shown = (rows: TodoRow[]) =>
    rows.map((r) => ({
      ...r,
      due: dueBadge(r, now, actor.timezone),
      // A substitute's rows say whose they are ("en reemplazo de").
      actingFor: r.unitId !== null ? (actor.actingFor[r.unitId]?.name ?? null) : null,
      waitingOn: null as ReturnType<typeof waitingOn>,
    }));
  const waiting = actor.waiting;
  return {
    roles: roleKeys(actor),
    problems,
    setup,
    toAuthorize: { items: shown(lists.toAuthorize), count: waiting?.toAuthorize ?? lists.toAuthorize.length },
    toDecide: { items: shown(lists.toDecide), count: waiting?.toDecide ?? lists.toDecide.length },
    tickets: { items: shown(lists.tickets), count: waiting?.openTickets ?? lists.tickets.length },
    mine: { items: shown(lists.mine).map((r) => ({ ...r, waitingOn: waitingOn(r) })), count: lists.mineOpen },
    following: { items: shown(lists.following), count: lists.followingCount },
  };
}
