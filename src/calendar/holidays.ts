// Public holidays of a company's country, proposed from the maintained `date-holidays` data; the admin edits them.
// The library is imported on first use: its data of every country is ~9 MB of heap that would otherwise stay live in
// every process from the start (a web process under load then runs full garbage collections more often).

export interface ProposedHoliday {
  date: string;
  name: string;
}

/** The public holidays of a country in a year (local dates), in the language asked for when the data has it. */
export async function proposedHolidays(country: string, year: number, language = 'es'): Promise<ProposedHoliday[]> {
  const { default: Holidays } = await import('date-holidays');
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
