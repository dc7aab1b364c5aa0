// The very large company (--large-company, issue 23): the same pages measured on its people, whose inboxes,
// search, detail and dashboard sit on 2 000 000 requests beside the 100 ordinary companies.
import type { Scenario, ScenarioContext } from './context.js';

/** The scenario run as the large company's people: a view of the context whose sessions are theirs. */
export function onLargeCompany(s: Scenario): Scenario {
  const views = new WeakMap<ScenarioContext, ScenarioContext>();
  // prepare() keeps what it found in view.data, which requests() then reads from the same view.
  const view = (ctx: ScenarioContext) => {
    let v = views.get(ctx);
    if (!v) {
      v = Object.create(ctx, { sessions: { value: ctx.largeSessions } }) as ScenarioContext;
      views.set(ctx, v);
    }
    return v;
  };
  return {
    ...s,
    name: `${s.name}@large`,
    largeOnly: true,
    prepare: s.prepare && ((ctx) => s.prepare!(view(ctx))),
    cleanup: s.cleanup && ((ctx) => s.cleanup!(view(ctx))),
    requests: (ctx) => s.requests(view(ctx)),
  };
}
