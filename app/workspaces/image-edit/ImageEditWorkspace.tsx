/**
 * Image Edit, generate mode: prompt (with its visualness chip), negative prompt, seed (fixed/random), steps, guidance →
 * 'text2image' job with live previews; a results strip (click to view, recipe shown); the prompt's
 * tokens under it — hovering one overlays its cross-attention heatmap on the viewed image.
 */
import { useShallow } from 'zustand/react/shallow';
import { GUIDANCE_RANGE, imageEditActions, MAX_SEED, STEP_RANGE, useImageEdit } from '../../state/imageEditStore.ts';
import { ProgressBar } from '../../ui/ProgressBar.tsx';
import { ImageStage } from './ImageStage.tsx';
import { ResultsStrip } from './ResultsStrip.tsx';
import { TokenList } from './TokenList.tsx';
import { VisualnessChip } from '../../visualness/VisualnessChip.tsx';
import '../caption/workspaces.css';

export function ImageEditWorkspace() {
  return (
    <div className="ws" data-testid="workspace-image-edit">
      <div className="ws-col">
        <PromptForm />
      </div>
      <div className="ws-col">
        <ImageStage />
        <ResultsStrip />
      </div>
    </div>
  );
}

const num = (v: string): number => (v.trim() === '' ? NaN : Number(v));

function PromptForm() {
  const s = useImageEdit(useShallow((x) => ({
    prompt: x.prompt, negativePrompt: x.negativePrompt, seed: x.seed, seedMode: x.seedMode, steps: x.steps, guidance: x.guidance,
    running: x.running, step: x.step, phase: x.phase, error: x.error, warnings: x.warnings,
  })));
  const set = imageEditActions.set;
  return (
    <>
      <label className="ws-field">
        <span className="ws-label-row">Prompt <VisualnessChip text={s.prompt} /></span>
        <textarea data-testid="ie-prompt" rows={2} value={s.prompt} onChange={(e) => set({ prompt: e.target.value })}
          onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) imageEditActions.generate(); }} />
      </label>
      <TokenList />
      <label className="ws-field">
        Negative prompt
        <input type="text" data-testid="ie-negative" value={s.negativePrompt} placeholder="what to avoid (optional)" onChange={(e) => set({ negativePrompt: e.target.value })} />
      </label>
      <div className="ws-row">
        <label className="ws-field">
          Seed
          <input type="number" data-testid="ie-seed" min={0} max={MAX_SEED} value={Number.isFinite(s.seed) ? s.seed : ''} disabled={s.seedMode === 'random'} onChange={(e) => set({ seed: num(e.target.value) })} />
        </label>
        <div className="seed-toggle" role="group" aria-label="Seed mode">
          <button className={`btn small ${s.seedMode === 'fixed' ? 'primary' : ''}`} data-testid="ie-seed-fixed" onClick={() => set({ seedMode: 'fixed' })}>Fixed</button>
          <button className={`btn small ${s.seedMode === 'random' ? 'primary' : ''}`} data-testid="ie-seed-random" onClick={() => set({ seedMode: 'random' })} title="A new seed each time (shown after Generate)">Random</button>
        </div>
      </div>
      <div className="ws-row">
        <label className="ws-field">
          Steps
          <input type="number" data-testid="ie-steps" min={STEP_RANGE.min} max={STEP_RANGE.max} value={Number.isFinite(s.steps) ? s.steps : ''} onChange={(e) => set({ steps: num(e.target.value) })} />
        </label>
        <label className="ws-field">
          Guidance
          <input type="number" data-testid="ie-guidance" step={0.5} min={GUIDANCE_RANGE.min} max={GUIDANCE_RANGE.max} value={Number.isFinite(s.guidance) ? s.guidance : ''} onChange={(e) => set({ guidance: num(e.target.value) })} />
        </label>
      </div>
      <div className="ws-actions">
        <button className="btn primary" data-testid="ie-generate" disabled={s.running} onClick={() => imageEditActions.generate()} title="Ctrl+Enter in the prompt">
          {s.running ? 'Generating…' : 'Generate'}
        </button>
        {s.running && <button className="btn" data-testid="ie-cancel" onClick={imageEditActions.cancel}>Cancel</button>}
        {s.running && <span className="muted" data-testid="ie-phase">{s.step && s.step.k > 0 ? `step ${s.step.k}/${s.step.n}` : s.phase}</span>}
      </div>
      {s.running && <ProgressBar value={s.step && s.step.n > 0 && s.step.k > 0 ? s.step.k / s.step.n : undefined} label="Generation progress" testId="ie-progress" />}
      {s.error && <div className="field-error" role="alert" data-testid="ie-error">{s.error}</div>}
      {s.warnings.map((w) => <div key={w} className="field-warning" data-testid="ie-warning">{w}</div>)}
    </>
  );
}

