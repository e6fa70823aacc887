import { describe, expect, it } from 'vitest';
import { FANGRAPHS_HEADER } from '../sample/scouting.ts';
import { bindHeader, MappingError, resolveMapping } from './mapping.ts';

describe('column mappings', () => {
  it('binds the default FanGraphs and Baseball America headers', () => {
    const fg = bindHeader(resolveMapping('fangraphs'), FANGRAPHS_HEADER);
    expect(fg.fields).toMatchObject({ name: 0, organization: 1, futureValue: 4, externalId: 17 });
    expect(fg.tools.map((t) => t.tool)).toContain('fastball');
    expect(fg.missingOptional).toEqual([]);
    const ba = bindHeader(resolveMapping('baseball_america'), ['Rank', 'Player', 'Org', 'Pos', 'Year']);
    expect(ba.fields).toEqual({ rank: 0, name: 1, organization: 2, position: 3, year: 4 });
  });

  it('names every missing required column', () => {
    const bind = () => bindHeader(resolveMapping('fangraphs'), ['Player', 'Team', 'Pos', 'Age']);
    expect(bind).toThrow(MappingError);
    expect(bind).toThrow(/missing required columns: "Name" \(name\), "Org" \(organization\), "FV" \(futureValue\)/);
    expect(() => bindHeader(resolveMapping('baseball_america'), ['Player', 'Org'])).toThrow(/"Rank" \(rank\)/);
  });

  it('tolerates missing optional default columns and reports them', () => {
    const bound = bindHeader(resolveMapping('fangraphs'), ['Name', 'Org', 'FV']);
    expect(bound.missingOptional).toContain('"Age" (age)');
    expect(bound.missingOptional).toContain('"CMD" (tool command)');
  });

  it('applies an override: renamed headers, unmapped columns, extra tools, case-insensitive', () => {
    const mapping = resolveMapping('fangraphs', {
      name: 'Player Name',
      organization: 'Team',
      futureValue: 'Future Value',
      age: null,
      tools: { cutter: 'CT', command: null },
    });
    const bound = bindHeader(mapping, ['player name', 'TEAM', 'Future Value', 'CT', 'Age']);
    expect(bound.fields).toEqual({ name: 0, organization: 1, futureValue: 2 });
    expect(bound.tools).toContainEqual({ tool: 'cutter', index: 3, header: 'CT' });
    expect(bound.tools.map((t) => t.tool)).not.toContain('command');
  });

  it('requires the columns an override names, and rejects unknown keys and bad values', () => {
    expect(() => bindHeader(resolveMapping('fangraphs', { position: 'Position' }), ['Name', 'Org', 'FV'])).toThrow(
      /"Position" \(position\)/,
    );
    expect(() => resolveMapping('fangraphs', { nmae: 'Name', tools: { hit: 5 } })).toThrow(
      /unknown field "nmae".*tool "hit" must map/,
    );
    expect(() => resolveMapping('fangraphs', { name: null })).toThrow(/"name" is required/);
    expect(() => resolveMapping('baseball_america', ['Rank'])).toThrow(MappingError);
  });

  it('rejects a header that names a mapped column twice', () => {
    expect(() => bindHeader(resolveMapping('baseball_america'), ['Rank', 'Player', 'Org', 'Org'])).toThrow(
      /named more than once: "Org"/,
    );
  });
});
