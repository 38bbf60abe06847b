import { endpointLabel, VERDICTS, type EndpointResult, type ProbeEndpoint } from '../../../shared/probe';
import { fit, fitMiddle } from '../../components/svg-text';

const W = 760;
const ROW = 44;
const TOP = 48;
/** Where the network boundary (the firewall) is drawn. */
const WALL = 330;

const STOPPED_AT_WALL = new Set(['REFUSED', 'UNREACHABLE', 'TIMEOUT', 'PROXY_REFUSED', 'PROXY_AUTH', 'PROXY_UNREACHABLE', 'DNS_FAILED', 'DNS_TIMEOUT']);

function state(r: EndpointResult | undefined): { cls: string; word: string; stops: boolean } {
  if (!r) return { cls: 'rp-pending', word: 'not checked', stops: false };
  const stops = STOPPED_AT_WALL.has(r.verdict);
  if (r.level === 'pass') return { cls: 'rp-pass', word: VERDICTS[r.verdict].title.toLowerCase(), stops };
  return { cls: r.level === 'warn' ? 'rp-warn' : 'rp-fail', word: `${r.level === 'warn' ? 'warning' : 'blocked'}: ${r.verdict}`, stops };
}

/**
 * Where each connection got to, drawn: from this computer (through the proxy when one was used)
 * across the network boundary to each endpoint. A line stops at the boundary with a cross when
 * nothing got through (refused, dropped, no DNS, the proxy said no); it reaches the endpoint when
 * something answered. Words under the picture say the same for screen readers.
 */
export function ReachPicture({ endpoints, rows }: { endpoints: ProbeEndpoint[]; rows: Record<string, EndpointResult> }): React.JSX.Element | null {
  if (!endpoints.length) return null;
  const height = TOP + endpoints.length * ROW + 16;
  const mid = TOP + (endpoints.length * ROW) / 2 - ROW / 2 + 6;
  const viaProxy = endpoints.some((e) => rows[e.id]?.via);
  const words = endpoints
    .map((e) => {
      const r = rows[e.id];
      const s = state(r);
      return `${endpointLabel(e.host, e.port)}: ${r ? `${s.word}${r.via ? ' (through the proxy)' : ''}` : 'not checked yet'}.`;
    })
    .join(' ');
  return (
    <figure className="reach-picture">
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-labelledby="reach-title reach-desc" className="reach-svg">
        <title id="reach-title">Where the connections got to</title>
        <desc id="reach-desc">{words}</desc>
        <text x={10} y={20} className="rp-heading">
          This side
        </text>
        <text x={WALL + 12} y={20} className="rp-heading">
          Network boundary and beyond
        </text>
        <line x1={WALL} y1={28} x2={WALL} y2={height - 6} className="rp-wall" />
        <rect x={10} y={mid - 20} width={150} height={40} rx={8} className="rp-box rp-me" />
        <text x={22} y={mid + 5} className="rp-title">
          This computer
        </text>
        {viaProxy && (
          <>
            <rect x={200} y={mid - 16} width={90} height={32} rx={6} className="rp-box" />
            <text x={212} y={mid + 5} className="rp-small">
              proxy
            </text>
          </>
        )}
        {endpoints.map((e, i) => {
          const y = TOP + i * ROW + 6;
          const r = rows[e.id];
          const s = state(r);
          const endX = s.stops ? WALL - 4 : 500;
          const d = `M 160 ${mid} C 230 ${mid}, 250 ${y}, ${Math.min(endX, 320)} ${y} L ${endX} ${y}`;
          return (
            <g key={e.id}>
              <path d={d} className={`rp-line ${s.cls}`} />
              {s.stops && (
                <text x={WALL} y={y + 5} textAnchor="middle" className={`rp-cross ${s.cls}`}>
                  ✗
                </text>
              )}
              <text x={WALL + 14} y={y - 6} className="rp-small">
                {fit(s.word, 24)}
              </text>
              <rect x={502} y={y - 16} width={248} height={32} rx={6} className={`rp-box ${s.cls}-box`} />
              <text x={512} y={y + 5} className="rp-title">
                {fitMiddle(endpointLabel(e.host, e.port), 30)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="help">{words}</figcaption>
    </figure>
  );
}
