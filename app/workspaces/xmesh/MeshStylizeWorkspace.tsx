/**
 * Mesh Stylize (X-Mesh / Text2Mesh): pick a sample or drop a mesh file, describe the style, run.
 * The viewport follows the optimizer's mesh previews; the loss curve and the rendered views update
 * while it runs; pause/resume (button or Alt+P) holds it between iterations; cancel stops it;
 * before/after flips to the original gray mesh; the result exports as GLB (vertex colors,
 * displaced positions, recipe in extras) or PLY.
 */
import { useEffect, useMemo, useState, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { SAMPLE_MESHES } from '../../../pipelines/core/mesh/samples.ts';
import { useXmesh, xmeshActions } from '../../state/xmeshStore.ts';
import { LossCurve } from './LossCurve.tsx';
import { MeshViewport, type ViewportMesh } from './MeshViewport.tsx';
import { ViewsStrip } from './ViewsStrip.tsx';
import { VisualnessChip } from '../../visualness/VisualnessChip.tsx';
import './xmesh.css';

function download(name: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: name.endsWith('.glb') ? 'model/gltf-binary' : 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Controls() {
  const s = useXmesh(useShallow((x) => ({ meshName: x.meshName, prompt: x.prompt, method: x.method, steps: x.steps, seed: x.seed, views: x.views, run: x.run, pending: x.pending, meshError: x.meshError, info: x.mesh?.info })));
  const act = xmeshActions();
  const busy = s.run === 'preparing' || s.run === 'queued' || s.run === 'running' || s.run === 'paused';
  const canPause = s.run === 'running' || s.run === 'paused';
  const [over, setOver] = useState(false);
  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f) await act.loadFile(f.name, new Uint8Array(await f.arrayBuffer()));
  };
  return (
    <div className="xmesh-controls">
      <label className="xmesh-field">
        <span>Mesh</span>
        <select data-testid="xmesh-sample" value={s.meshName.startsWith('sample:') ? s.meshName.slice(7) : ''} onChange={(e) => act.pickSample(e.target.value)} disabled={busy}>
          {!s.meshName.startsWith('sample:') && <option value="">{s.meshName}</option>}
          {SAMPLE_MESHES.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      </label>
      <div className={`xmesh-drop${over ? ' over' : ''}`} data-testid="xmesh-drop" onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)} onDrop={(e) => void onDrop(e)}>
        Drop OBJ / PLY / STL / GLB or{' '}
        <label className="xmesh-link">
          choose a file
          <input type="file" accept=".obj,.ply,.stl,.glb,.gltf" data-testid="xmesh-file" hidden disabled={busy} onChange={async (e) => { const f = e.target.files?.[0]; if (f) await act.loadFile(f.name, new Uint8Array(await f.arrayBuffer())); }} />
        </label>
      </div>
      {s.info && <div className="muted xmesh-meshinfo" data-testid="xmesh-meshinfo">{s.info.vertices.toLocaleString('en')} vertices · {s.info.triangles.toLocaleString('en')} triangles</div>}
      {s.meshError && <div className="panel-error" data-testid="xmesh-mesh-error">{s.meshError}</div>}
      <label className="xmesh-field wide">
        <span>Prompt</span>
        <input data-testid="xmesh-prompt" value={s.prompt} onChange={(e) => act.set({ prompt: e.target.value })} disabled={busy} />
      </label>
      <VisualnessChip text={s.prompt} />
      <div className="xmesh-seg" role="radiogroup" aria-label="Method">
        {(['tdam', 'text2mesh'] as const).map((m) => (
          <button key={m} role="radio" aria-checked={s.method === m} data-testid={`xmesh-method-${m}`} className={`btn small${s.method === m ? ' active' : ''}`} onClick={() => act.set({ method: m })} disabled={busy}>
            {m === 'tdam' ? 'X-Mesh (TDAM)' : 'Text2Mesh'}
          </button>
        ))}
      </div>
      <div className="xmesh-row">
        <label className="xmesh-field"><span>Steps</span><input type="number" min={1} max={2000} data-testid="xmesh-steps" value={s.steps} onChange={(e) => act.set({ steps: Math.max(1, Number(e.target.value) || 1) })} disabled={busy} /></label>
        <label className="xmesh-field"><span>Seed</span><input type="number" data-testid="xmesh-seed" value={s.seed} onChange={(e) => act.set({ seed: Number(e.target.value) || 0 })} disabled={busy} /></label>
        <label className="xmesh-field"><span>Views</span><input type="number" min={1} max={8} data-testid="xmesh-views-n" value={s.views} onChange={(e) => act.set({ views: Math.min(8, Math.max(1, Number(e.target.value) || 1)) })} disabled={busy} /></label>
      </div>
      <div className="xmesh-row">
        {busy
          ? <button className="btn danger-solid" data-testid="xmesh-cancel" onClick={() => act.cancel()}>Cancel</button>
          : <button className="btn primary" data-testid="xmesh-run" onClick={() => void act.start()}>Stylize</button>}
        {canPause && (
          <button className="btn" data-testid="xmesh-pause" title="Alt+P" aria-pressed={s.run === 'paused'} disabled={s.pending !== undefined} onClick={() => act.togglePause()}>
            {s.pending === 'pause' ? 'Pausing…' : s.pending === 'resume' ? 'Resuming…' : s.run === 'paused' ? 'Resume' : 'Pause'}
          </button>
        )}
      </div>
    </div>
  );
}

export function MeshStylizeWorkspace() {
  const s = useXmesh(useShallow((x) => ({ mesh: x.mesh, preview: x.preview, showBefore: x.showBefore, losses: x.losses, viewsImage: x.viewsImage, run: x.run, error: x.error, step: x.step, result: x.result })));
  const act = xmeshActions();
  useEffect(() => { if (!useXmesh.getState().mesh) act.pickSample('vase'); }, [act]);
  const before: ViewportMesh | undefined = useMemo(() => s.mesh && { positions: s.mesh.mesh.positions, indices: s.mesh.mesh.indices, colors: new Float32Array(s.mesh.mesh.positions.length).fill(0.5) }, [s.mesh]);
  const after: ViewportMesh | undefined = useMemo(() => s.mesh && s.preview && { positions: s.preview.positions, indices: s.mesh.mesh.indices, colors: s.preview.colors }, [s.mesh, s.preview]);
  const shown = s.showBefore || !after ? before : after;
  const label = s.showBefore || !after ? 'before' : `it ${s.preview!.step}`;
  const save = (kind: 'glb' | 'ply') => { const f = act.exportMesh(kind); if (f) download(f.name, f.bytes); };
  return (
    <div className="xmesh" data-testid="workspace-xmesh">
      <Controls />
      <div className="xmesh-main">
        <MeshViewport mesh={shown} label={label} />
        <div className="xmesh-toolbar">
          <span className="xmesh-status" data-testid="xmesh-status" data-run={s.run}>
            {s.run === 'idle' ? 'Ready' : s.run === 'preparing' ? 'Loading CLIP…' : s.run === 'queued' ? 'Queued' : s.run === 'running' ? `Running ${s.step ? `${s.step.k}/${s.step.n}` : ''}` : s.run === 'paused' ? `Paused ${s.step ? `${s.step.k}/${s.step.n}` : ''}` : s.run === 'done' ? 'Done' : s.run === 'canceled' ? 'Canceled' : 'Failed'}
          </span>
          <button className="btn small" data-testid="xmesh-before" aria-pressed={s.showBefore} onClick={() => act.toggleBefore()} disabled={!after}>{s.showBefore ? 'Show after' : 'Show before'}</button>
          <button className="btn small" data-testid="xmesh-export-glb" onClick={() => save('glb')} disabled={!s.result}>Export GLB</button>
          <button className="btn small" data-testid="xmesh-export-ply" onClick={() => save('ply')} disabled={!s.result}>Export PLY</button>
        </div>
        {s.error && s.run === 'failed' && <div className="panel-error" data-testid="xmesh-error">{s.error}</div>}
      </div>
      <div className="xmesh-side">
        <LossCurve losses={s.losses} />
        <ViewsStrip image={s.viewsImage} />
      </div>
    </div>
  );
}
