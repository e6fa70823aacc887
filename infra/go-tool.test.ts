import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../lib/log.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';
import { cachedToolPath, ensureGoTool, locateGoTool, type GoTool } from './go-tool.ts';

const TOOL: GoTool = {
  binary: 'afwd-tool',
  module: 'example.test/afwd-tool',
  version: 'v1.2.3',
  pathVariable: 'AFWD_TOOL_PATH',
  title: 'the test tool',
  buildTime: 'no time',
};

describe('a Go tool', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'afwd-go-tool-'));

  it("is the variable's binary, then the PATH's, then the cached one", () => {
    const cached = cachedToolPath(TOOL, { AFWD_CACHE_DIR: '/c' });
    expect(cached).toBe('/c/afwd-tool/v1.2.3/afwd-tool');
    expect(locateGoTool(TOOL, { PATH: dir, AFWD_CACHE_DIR: dir })).toBeUndefined();
    writeFileSync(path.join(dir, 'afwd-tool'), '');
    expect(locateGoTool(TOOL, { PATH: dir, AFWD_CACHE_DIR: '/nowhere' })).toBe(path.join(dir, 'afwd-tool'));
    expect(locateGoTool(TOOL, { PATH: '', AFWD_TOOL_PATH: path.join(dir, 'afwd-tool') })).toBe(
      path.join(dir, 'afwd-tool'),
    );
    expect(() => locateGoTool(TOOL, { AFWD_TOOL_PATH: path.join(dir, 'missing') })).toThrow(
      /AFWD_TOOL_PATH points to .*missing, which does not exist/,
    );
  });

  it('says what to do when there is no binary and no Go to build one', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'afwd-go-tool-empty-'));
    const attempt = ensureGoTool({ ...TOOL, otherwise: 'or use the other thing' }, createLogger({ level: 'silent' }), {
      PATH: empty,
      AFWD_CACHE_DIR: empty,
    });
    // /usr/local/go/bin/go exists on these machines: then the build of a module that is not served fails instead.
    await expect(attempt).rejects.toThrow(PrerequisiteError);
    await expect(attempt).rejects.toThrow(/the test tool.*or use the other thing\.$/);
  }, 60_000);
});
