import { authorizes, isCompanyAdmin, isServicesHead, isWorker } from '../auth/index.js';
import type { NavSection } from '../web/navigation.js';

/** The lifecycle's entries in the navigation, each with the count of what waits there (loaded with the actor). */
export function requestNavSections(): NavSection[] {
  return [
    { visible: () => true, item: () => ({ href: '/solicitudes', labelKey: 'requests.nav.mine', icon: 'inbox' }) },
    {
      visible: authorizes,
      item: (a) => ({
        href: '/autorizaciones',
        labelKey: 'requests.nav.unit',
        icon: 'person-check',
        count: a.waiting?.toAuthorize,
      }),
    },
    {
      visible: isServicesHead,
      item: (a) => ({
        href: '/bandeja',
        labelKey: 'requests.nav.services',
        icon: 'inboxes',
        count: a.waiting?.toDecide,
      }),
    },
    { visible: isServicesHead, item: () => ({ href: '/tickets', labelKey: 'requests.nav.tickets', icon: 'tools' }) },
    {
      visible: isWorker,
      item: (a) => ({
        href: '/mis-tickets',
        labelKey: 'requests.nav.myTickets',
        icon: 'wrench-adjustable',
        count: a.waiting?.openTickets,
      }),
    },
    {
      visible: isCompanyAdmin,
      item: () => ({ href: '/empresa/solicitudes', labelKey: 'requests.nav.company', icon: 'building' }),
    },
  ];
}
