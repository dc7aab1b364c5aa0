import type { Db } from '../db/client.js';
import { isCompanyAdmin, isServicesHead, isUnitHead, isWorker } from '../org/policy.js';
import { openTicketsOf } from '../tickets/queries.js';
import type { NavSection } from '../web/navigation.js';
import { awaitingDecision, pendingToAuthorize } from './queries.js';

/** The lifecycle's entries in the navigation, each with the count of what waits there. */
export function requestNavSections(db: Db): NavSection[] {
  return [
    { visible: () => true, item: () => ({ href: '/solicitudes', labelKey: 'requests.nav.mine', icon: 'inbox' }) },
    {
      visible: isUnitHead,
      item: async (a) => ({ href: '/autorizaciones', labelKey: 'requests.nav.unit', icon: 'person-check', count: await pendingToAuthorize(db, a) }),
    },
    {
      visible: isServicesHead,
      item: async (a) => ({ href: '/bandeja', labelKey: 'requests.nav.services', icon: 'inboxes', count: await awaitingDecision(db, a) }),
    },
    { visible: isServicesHead, item: () => ({ href: '/tickets', labelKey: 'requests.nav.tickets', icon: 'tools' }) },
    {
      visible: isWorker,
      item: async (a) => ({ href: '/mis-tickets', labelKey: 'requests.nav.myTickets', icon: 'wrench-adjustable', count: await openTicketsOf(db, a) }),
    },
    { visible: isCompanyAdmin, item: () => ({ href: '/empresa/solicitudes', labelKey: 'requests.nav.company', icon: 'building' }) },
  ];
}
