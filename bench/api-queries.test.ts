import { describe, expect, it } from 'vitest';
import { searchQueries } from './api-queries.ts';

describe('searchQueries', () => {
  it('types names as a user would: partial, accent-free, with typos; distinct and at least two letters', () => {
    const queries = searchQueries(
      ['Andrés Zúñiga', 'Roman Tolliver', 'Kai Ueda', 'Jaxon Hollander', 'Félix Gutiérrez'],
      5,
    );
    expect(queries).toContain('zunig');
    expect(queries).toContain('andres zun');
    expect(queries).toContain('andres zuniga');
    expect(queries).toContain('roman tolliver');
    expect(
      queries.some((q) => q.startsWith('roman ') && q !== 'roman tolliver' && q.length === 'roman tolliver'.length),
    ).toBe(true);
    expect(queries.every((q) => /^[a-z0-9 ]+$/.test(q) && q.replace(/ /g, '').length >= 2)).toBe(true);
    expect(new Set(queries).size).toBe(queries.length);
  });

  it('takes turns between the kinds, perName a name', () => {
    expect(searchQueries(['Roman Tolliver', 'Jaxon Hollander'], 1)).toEqual(['tolli', 'jaxon hol']);
  });
});
