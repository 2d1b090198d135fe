// The side panel's dialogs and progress bars: one home for the confirmation a bulk change asks
// for and the bar that follows its writes.
import type { ReactNode } from 'react';

/** A modal card: a click outside it or Cancel closes it; the confirming button has the focus. */
export function ConfirmDialog(props: { label: string; title: ReactNode; confirmText: string; onConfirm(): void; onCancel(): void; children?: ReactNode; disabled?: boolean }) {
  return (
    <div className="dialog-backdrop" onClick={props.onCancel}>
      <div className="card dialog" role="dialog" aria-label={props.label} onClick={(e) => e.stopPropagation()}>
        <strong>{props.title}</strong>
        {props.children}
        <div className="row">
          <button className="primary" autoFocus disabled={props.disabled} onClick={props.onConfirm}>
            {props.confirmText}
          </button>
          <button onClick={props.onCancel}>Cancel</button>
        </div>
      </div>
    </div>
  );
}

/** How far a bulk change is: `done` of `of`, as a bar a screen reader reads as a progress bar. */
export function ProgressBar({ label, done, of }: { label: string; done: number; of: number }) {
  if (of <= 0) return null;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={of} aria-valuenow={done}>
      <div style={{ width: `${Math.round((done / of) * 100)}%` }} />
    </div>
  );
}
