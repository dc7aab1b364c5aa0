import type { NextFunction, Request, Response } from 'express';
import type { Actor } from '../auth/index.js';

export interface NavItem {
  href: string;
  labelKey: string;
  icon: string;
  /** Number of things waiting for this person there, shown as a badge. */
  count?: number;
}

/** A feature's entry in the navigation: shown only when the person's roles allow it. */
export interface NavSection {
  visible(actor: Actor): boolean;
  item(actor: Actor): Promise<NavItem> | NavItem;
}

const home: NavItem = { href: '/', labelKey: 'nav.home', icon: 'house' };

/** Puts the navigation of the signed-in person into the view locals (HTML pages only). */
export function navigationMiddleware(sections: NavSection[]) {
  return async (req: Request, res: Response, next: NextFunction) => {
    res.locals.nav = [home];
    if (!req.user || req.method !== 'GET') return next();
    try {
      const actor = req.user;
      const items = await Promise.all(sections.filter((s) => s.visible(actor)).map((s) => s.item(actor)));
      res.locals.nav = [home, ...items];
      next();
    } catch (err) {
      next(err);
    }
  };
}
