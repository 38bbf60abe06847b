import { parseServiceUrl, type ArmorcodeAnswers } from '../../../shared/platforms/armorcode/answers';
import { fit, fitMiddle } from '../../components/svg-text';

interface Row {
  name: string;
  remotePort: number;
  target: string;
}

const W = 760;
/** Width of a 12px monospace label with a little room either side (0.6 em per character). */
const labelWidth = (text: string): number => text.length * 7.2 + 10;

const ROW = 46;
const TOP = 70;

function rowsOf(a: ArmorcodeAnswers): Row[] {
  return a.services.map((s) => {
    const t = parseServiceUrl(s.url);
    return {
      name: s.name,
      remotePort: s.remotePort,
      target: t.ok ? `${t.target.host.includes(':') ? `[${t.target.host}]` : t.target.host}:${t.target.port}` : s.url,
    };
  });
}

/**
 * The path of an ArmorCode tunnel, drawn: the agent opens SSH out to the ArmorCode server on 22 or
 * 443; each remote port there comes back through that connection to one internal service.
 */
export function TunnelPath({ answers, variant }: { answers: ArmorcodeAnswers; variant: string | null }): React.JSX.Element {
  const rows = rowsOf(answers);
  const height = TOP + Math.max(rows.length, 1) * ROW + 50;
  const mid = TOP + (rows.length * ROW) / 2;
  const words = `The tunnel agent in your network opens SSH out to ${answers.server} on port ${answers.port}. ${rows
    .map((r) => `Remote port ${r.remotePort} on the ArmorCode server comes back through that connection to ${r.name} at ${r.target}.`)
    .join(' ')}`;
  return (
    <figure className="tunnel-path">
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-labelledby="tunnel-path-title tunnel-path-desc" className="tunnel-svg">
        <title id="tunnel-path-title">Tunnel path</title>
        <desc id="tunnel-path-desc">{words}</desc>
        <defs>
          <marker id="tp-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="tp-arrowhead" />
          </marker>
        </defs>
        <text x={10} y={22} className="tp-heading">
          ArmorCode (internet)
        </text>
        <text x={290} y={22} className="tp-heading">
          Your network
        </text>
        <line x1={270} y1={8} x2={270} y2={height - 8} className="tp-boundary" />

        <rect x={10} y={TOP - 34} width={200} height={rows.length * ROW + 44} rx={8} className="tp-box" />
        <text x={20} y={TOP - 14} className="tp-title">
          {fitMiddle(answers.server, 21)}
        </text>
        {rows.map((r, i) => (
          <text key={`rp-${r.name}`} x={20} y={TOP + 14 + i * ROW} className="tp-port">
            remote port {r.remotePort}
          </text>
        ))}

        <rect x={320} y={mid - 30} width={160} height={60} rx={8} className="tp-box tp-agent" />
        <text x={332} y={mid - 6} className="tp-title">
          Tunnel agent
        </text>
        <text x={332} y={mid + 14} className="tp-small">
          {variant === 'systemd' ? 'ssh' : 'autossh'} × {rows.length}
        </text>
        <line x1={320} y1={mid} x2={213} y2={mid} className="tp-ssh" markerEnd="url(#tp-arrow)" />

        {rows.map((r, i) => {
          const y = TOP + 10 + i * ROW;
          return (
            <g key={`svc-${r.name}`}>
              <path d={`M 160 ${y} C 250 ${y}, 300 ${mid + 44}, 400 ${mid + 44} S 510 ${y}, 548 ${y}`} className="tp-flow" markerEnd="url(#tp-arrow)" />
              <rect x={550} y={y - 18} width={200} height={36} rx={6} className="tp-box" />
              <text x={560} y={y - 2} className="tp-title">
                {fit(r.name, 24)}
              </text>
              <text x={560} y={y + 12} className="tp-small">
                {fitMiddle(r.target, 25)}
              </text>
            </g>
          );
        })}
        {/* Drawn last, on a backing of their own, so neither the boundary nor the flow lines run through the words. */}
        <rect
          x={266 - labelWidth(`SSH :${answers.port}`) / 2}
          y={mid - 24}
          width={labelWidth(`SSH :${answers.port}`)}
          height={19}
          rx={3}
          className="tp-label-bg"
          data-label="ssh"
        />
        <rect
          x={266 - labelWidth('outbound') / 2}
          y={mid + 6}
          width={labelWidth('outbound')}
          height={19}
          rx={3}
          className="tp-label-bg"
          data-label="outbound"
        />
        <text x={266} y={mid - 10} textAnchor="middle" className="tp-small tp-label">
          SSH :{answers.port}
        </text>
        <text x={266} y={mid + 20} textAnchor="middle" className="tp-small tp-label">
          outbound
        </text>
      </svg>
      <figcaption className="help">{words}</figcaption>
    </figure>
  );
}
