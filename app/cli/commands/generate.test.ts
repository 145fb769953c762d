import { describe, expect, it } from 'vitest';
import { main } from '../main.ts';

function io() {
  const out: string[] = [], err: string[] = [];
  return { io: { out: (s: string) => { out.push(s); }, err: (s: string) => { err.push(s); } }, out, err };
}

describe('atelier generate', () => {
  it('prints usage without --prompt/--out', async () => {
    const c = io();
    expect(await main(['generate', '--prompt', 'a star'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/usage: atelier generate --prompt/);
  });
  it('says which recipe to run when the micro models are missing', async () => {
    const c = io();
    // The text encoder lives in the UNet folder, so no micro-CLIP directory is read at all.
    const code = await main(['generate', '--prompt', 'a star', '--out', '/tmp/x.png', '--vae', '/nonexistent/vae', '--unet', '/nonexistent/unet'], c.io);
    expect(code).toBe(1);
    expect(c.err.join('\n')).toMatch(/nonexistent\/vae\/model\.json not found.*npm run train -- vae/);
  });
  it('is listed in the help', async () => {
    const c = io();
    await main(['help'], c.io);
    expect(c.out.join('\n')).toMatch(/generate +text to image/);
  });
});
