/**
 * Caption: an image (dropped, a Microworld sample, or sent from Image Edit) → a caption or an
 * answer, streamed as the micro-VLM decodes; then where DyVTE let the visual tokens exit (a
 * per-layer strip) and what that saved for this request (LM FLOPs, estimated time).
 */
import { useShallow } from 'zustand/react/shallow';
import { captionActions, MAX_QUESTION_CHARS, useCaption } from '../../state/captionStore.ts';
import { ProgressBar } from '../../ui/ProgressBar.tsx';
import { ImageDrop } from './ImageDrop.tsx';
import { LayerStrip } from './LayerStrip.tsx';
import { ModelPicker } from './ModelPicker.tsx';
import './workspaces.css';

export function CaptionWorkspace() {
  const s = useCaption(useShallow((x) => ({ image: x.image, imageError: x.imageError, mode: x.mode, question: x.question, exit: x.exit, running: x.running, phase: x.phase, error: x.error, model: x.model })));
  return (
    <div className="ws" data-testid="workspace-caption">
      <div className="ws-col">
        <ImageDrop image={s.image} error={s.imageError} onImage={captionActions.setImage} onError={captionActions.setImageError} testId="cap-drop" />
        <div className="seed-toggle" role="group" aria-label="Mode">
          <button className={`btn small ${s.mode === 'caption' ? 'primary' : ''}`} data-testid="cap-mode-caption" onClick={() => captionActions.set({ mode: 'caption' })}>Caption</button>
          <button className={`btn small ${s.mode === 'ask' ? 'primary' : ''}`} data-testid="cap-mode-ask" onClick={() => captionActions.set({ mode: 'ask' })}>Ask a question</button>
        </div>
        {s.mode === 'ask' && (
          <label className="ws-field">
            Question
            <input type="text" data-testid="cap-question" value={s.question} maxLength={MAX_QUESTION_CHARS * 20} placeholder="what color is the star?"
              onChange={(e) => captionActions.set({ question: e.target.value })}
              onKeyDown={(e) => { if (e.key === 'Enter') void captionActions.run(); }} />
          </label>
        )}
        <ModelPicker />
        <label className="ws-field">
          Visual-token exit
          <select data-testid="cap-exit" value={s.exit} onChange={(e) => captionActions.set({ exit: e.target.value === 'none' ? 'none' : 'dyvte' })}>
            <option value="dyvte">DyVTE (learned gates)</option>
            <option value="none">None (keep visual tokens)</option>
          </select>
        </label>
        <div className="ws-actions">
          <button className="btn primary" data-testid="cap-run" disabled={s.running || !s.image} onClick={() => void captionActions.run()}>
            {s.running ? 'Working…' : s.mode === 'ask' ? 'Ask' : 'Caption'}
          </button>
          {s.running && <button className="btn" data-testid="cap-cancel" onClick={captionActions.cancel}>Cancel</button>}
          {s.running && <span className="muted">{s.phase}</span>}
        </div>
        {s.running && <ProgressBar label="Caption progress" />}
        {s.model.status === 'missing' && <div className="field-error" data-testid="cap-model-missing">{s.model.message}</div>}
        {s.error && s.model.status !== 'missing' && <div className="field-error" role="alert" data-testid="cap-error">{s.error}</div>}
      </div>
      <div className="ws-col">
        <Answer />
        <LayerStrip />
      </div>
    </div>
  );
}

function Answer() {
  const { text, running, result } = useCaption(useShallow((x) => ({ text: x.text, running: x.running, result: x.result })));
  return (
    <div className="ws-field">
      {result?.question ? `Answer to “${result.question}”` : 'Answer'}
      <div className={`answer ${running ? 'streaming' : ''}`} data-testid="cap-answer" aria-live="polite">
        {text || <span className="muted">{running ? '' : 'Caption an image or ask about it'}</span>}
      </div>
    </div>
  );
}
