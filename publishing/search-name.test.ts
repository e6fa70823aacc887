import { describe, expect, it } from 'vitest';
import { searchName } from './search-name.ts';

describe('searchName', () => {
  it('strips accents and lower-cases', () => {
    expect(searchName('Julio Rodríguez')).toBe('julio rodriguez');
    expect(searchName('Ronald Acuña Jr.')).toBe('ronald acuna jr.');
    expect(searchName('JOSÉ RAMÍREZ')).toBe('jose ramirez');
  });

  it('gives the same form for composed and decomposed input, and for compatibility characters', () => {
    expect(searchName('Pe\u0301rez')).toBe(searchName('P\u00e9rez'));
    // NFKD folds the ligature into its letters.
    expect(searchName('ﬁgueroa')).toBe('figueroa');
  });

  it('keeps letters that have no decomposition, spaces and punctuation', () => {
    expect(searchName("Ke'Bryan  Hayes-Ø")).toBe("ke'bryan  hayes-ø");
    expect(searchName('')).toBe('');
  });
});
