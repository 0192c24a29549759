import { readdirSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { LocalSimulator } from '#local/simulator/routes.js';
import { VirtualClock } from '#local/virtual-clock.js';
import { importSpecifiers } from '../support/layers.js';

const MODULES = new URL('../../local/simulator/modules/', import.meta.url);
const moduleFiles = readdirSync(MODULES).filter((file) => file.endsWith('.js'));

/** What the simulator wrote to a response: enough of `ServerResponse` for its asset routes. */
function recordingResponse() {
  const sent: { status?: number; headers: Record<string, string>; body?: Buffer } = { headers: {} };
  const response = {
    writeHead(status: number, headers: Record<string, string>) {
      sent.status = status;
      sent.headers = headers;
      return response;
    },
    end(body: Buffer) {
      sent.body = body;
      return response;
    },
  };
  return { response: response as unknown as ServerResponse, sent };
}

const simulator = new LocalSimulator({
  scheduler: { due: async () => [] },
  twilioApi: { messages: [] },
  clock: new VirtualClock(new Date('2026-12-01T12:00:00Z')),
  sesUrl: 'http://127.0.0.1:1',
  emailSentAt: new Map(),
  config: { apiKey: '', twilioAuthToken: '', twilioAccountSid: '', twilioNumber: '', webhookUrl: '' },
});

async function get(path: string) {
  const { response, sent } = recordingResponse();
  const handled = await simulator.handle('GET', path, new URL(path, 'http://127.0.0.1'), response);
  return { handled, ...sent };
}

describe('simulator assets: the page and its ES modules, served as written', () => {
  it('serves every module under modules/ as JavaScript, unsniffable, exactly as written', async () => {
    // Prepare
    expect(moduleFiles).toContain('main.js');

    for (const file of moduleFiles) {
      // Act
      const answer = await get(`/local/simulator/modules/${file}`);

      // Assess
      expect(answer.handled, file).toBe(true);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.body?.toString('utf8')).toBe(readFileSync(new URL(file, MODULES), 'utf8'));
    }
  });

  it('loads main.js from the page, and every module a module imports is one it serves', () => {
    const page = readFileSync(new URL('../index.html', MODULES), 'utf8');
    expect(page).toContain('<script type="module" src="/local/simulator/modules/main.js"></script>');

    for (const file of moduleFiles)
      for (const specifier of importSpecifiers(readFileSync(new URL(file, MODULES), 'utf8')))
        expect(moduleFiles, `${file} imports ${specifier}`).toContain(specifier.replace(/^\.\//, ''));
  });

  it.each([
    '/local/simulator/modules/nothing-here.js',
    '/local/simulator/modules/../routes.ts',
    '/local/simulator/modules/%2e%2e/routes.js',
    '/local/simulator/modules/sub/main.js',
    '/local/simulator/modules/Main.js',
    '/local/simulator/modules/main.ts',
    '/local/simulator/app.js',
    '/local/simulator/routes.ts',
  ])('answers nothing for %s (the router then says 404)', async (path) => {
    const answer = await get(path);

    expect(answer.handled).toBe(false);
    expect(answer.status).toBeUndefined();
  });

  it('serves the page with its content security policy, and its style sheet', async () => {
    const page = await get('/');
    const style = await get('/local/simulator/app.css');

    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
  });
});
