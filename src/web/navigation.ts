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

type Render = Response['render'];

/**
 * Puts the navigation of the signed-in person into the view locals when a page is rendered, whatever the method:
 * a form re-rendered after a POST (422) or an error page shows the same menu as a GET. Built at render time, so
 * redirects, files and JSON answers never pay for it.
 */
export function navigationMiddleware(sections: NavSection[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.nav = [home];
    const render = res.render.bind(res) as (...args: unknown[]) => void;
    res.render = ((...args: unknown[]) => {
      const actor = req.user;
      if (!actor) return render(...args);
      Promise.all(sections.filter((s) => s.visible(actor)).map((s) => s.item(actor))).then(
        (items) => {
          res.locals.nav = [home, ...items];
          render(...args);
        },
        // The page is still shown (an error page among them) with the menu it can have.
        () => render(...args),
      );
    }) as Render;
    next();
  };
}
