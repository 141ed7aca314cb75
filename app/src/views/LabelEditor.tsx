// One item's label, edited the way its domain's kind asks: boxes drawn on the image with the
// mouse, one class picked, or a score in the domain's range. The image is fetched by CID and
// verified before it is shown.
import { BoxEditor } from '../components/BoxEditor';
import type { Label } from '../lib/labels';
import { classNames, useItem, type Kind } from '../session';

/** The label a fresh item starts with. */
export function emptyLabel(kind: Kind): Label {
  if (kind.kind === 'boxes') return { Boxes: [] };
  if (kind.kind === 'class') return { Class: 0 };
  return { Score: kind.min };
}

export function LabelEditor({
  kind,
  item,
  codec,
  value,
  onChange,
  testId,
  disabled,
}: {
  kind: Kind;
  item: string;
  codec?: 'Raw' | 'DagPb';
  value: Label;
  onChange: (l: Label) => void;
  testId: string;
  disabled?: boolean;
}) {
  const content = useItem(item, codec);
  return (
    <div className="item" data-testid={`${testId}-label`} data-item={item}>
      <div className="cid">
        {content.cid ? <code>{content.cid}</code> : content.error ? <span className="error">cannot read the item: {content.error}</span> : 'fetching and verifying…'}
      </div>
      {kind.kind === 'boxes' && (
        <BoxEditor
          src={content.url}
          classes={classNames(kind)}
          value={'Boxes' in value ? value.Boxes : []}
          onChange={(boxes) => onChange({ Boxes: boxes })}
          disabled={disabled}
          testId={testId}
        />
      )}
      {kind.kind !== 'boxes' && content.url && <img src={content.url} alt="item" style={{ maxWidth: 480, display: 'block' }} />}
      {kind.kind === 'class' && (
        <div role="radiogroup" data-testid={`${testId}-classes`}>
          {classNames(kind).map((name, k) => (
            <button
              key={k}
              data-testid={`${testId}-class-${k}`}
              aria-pressed={'Class' in value && value.Class === k}
              disabled={disabled}
              onClick={() => onChange({ Class: k })}
            >
              {k + 1}: {name}
            </button>
          ))}
        </div>
      )}
      {kind.kind === 'score' && (
        <label>
          Score ({kind.min}–{kind.max}){' '}
          <input
            type="number"
            data-testid={`${testId}-score`}
            min={kind.min}
            max={kind.max}
            disabled={disabled}
            value={'Score' in value ? value.Score : kind.min}
            onChange={(e) => onChange({ Score: Math.min(kind.max, Math.max(kind.min, Math.round(Number(e.target.value)))) })}
          />
          {kind.min === 1 && kind.max === 5 && (
            <span data-testid={`${testId}-stars`}>
              {[1, 2, 3, 4, 5].map((s) => (
                <button key={s} disabled={disabled} aria-pressed={'Score' in value && value.Score >= s} onClick={() => onChange({ Score: s })}>
                  {'Score' in value && value.Score >= s ? '★' : '☆'}
                </button>
              ))}
            </span>
          )}
        </label>
      )}
    </div>
  );
}
