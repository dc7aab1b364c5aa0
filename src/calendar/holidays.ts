// Public holidays of a company's country, proposed from the maintained `date-holidays` data; the admin edits them.
import Holidays from 'date-holidays';

export interface ProposedHoliday {
  date: string;
  name: string;
}

/** The public holidays of a country in a year (local dates), in the language asked for when the data has it. */
export function proposedHolidays(country: string, year: number, language = 'es'): ProposedHoliday[] {
  const hd = new Holidays(country, { languages: [language], types: ['public'] });
  const seen = new Set<string>();
  const out: ProposedHoliday[] = [];
  for (const h of hd.getHolidays(year, language) || []) {
    const date = h.date.slice(0, 10);
    if (h.type !== 'public' || seen.has(date)) continue;
    seen.add(date);
    out.push({ date, name: h.name });
  }
  return out;
}
