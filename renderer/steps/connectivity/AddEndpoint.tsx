import { useId, useState } from 'react';
import { PROBE_PROTOCOLS, type ProbeProtocol } from '../../../shared/probe';
import { hostSchema, portSchema } from '../../../shared/validate';
import type { ExtraEndpoint } from './plan';

const PROTOCOL_WORDS: Record<ProbeProtocol, string> = {
  auto: 'Find out (SSH, TLS, HTTP or TCP)',
  ssh: 'SSH',
  https: 'HTTPS',
  tls: 'TLS',
  http: 'HTTP',
  tcp: 'TCP only',
};

/** A small form to add an endpoint of one's own (another server, a proxy's view, an internal service). */
export function AddEndpoint({ onAdd, taken }: { onAdd(e: ExtraEndpoint): void; taken: string[] }): React.JSX.Element {
  const id = useId();
  const [host, setHost] = useState('');
  const [port, setPort] = useState('');
  const [protocol, setProtocol] = useState<ProbeProtocol>('auto');
  const [error, setError] = useState<{ field: 'host' | 'port'; message: string } | null>(null);

  const add = (ev: React.FormEvent): void => {
    ev.preventDefault();
    const h = hostSchema.safeParse(host);
    if (!h.success) return setError({ field: 'host', message: `Host ${h.error.issues[0]?.message ?? 'is not valid'}` });
    const p = portSchema.safeParse(port);
    if (!p.success) return setError({ field: 'port', message: `Port ${p.error.issues[0]?.message ?? 'is not valid'}` });
    const key = `user-${h.data}-${p.data}-${protocol}`;
    if (taken.includes(key)) return setError({ field: 'host', message: `${h.data}:${p.data} is already in the list` });
    setError(null);
    onAdd({ id: key, host: h.data, port: p.data, protocol });
    setHost('');
    setPort('');
  };

  return (
    <form className="probe-add" onSubmit={add} aria-labelledby={`${id}-legend`}>
      <p id={`${id}-legend`} className="probe-add-title">
        Add an endpoint
      </p>
      <div className="field">
        <label htmlFor={`${id}-host`}>Host</label>
        <input
          id={`${id}-host`}
          type="text"
          spellCheck={false}
          value={host}
          onChange={(e) => setHost(e.target.value)}
          placeholder="tunnel.example.com"
          aria-invalid={error?.field === 'host' ? true : undefined}
          aria-describedby={error ? `${id}-err` : undefined}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-port`}>Port</label>
        <input
          id={`${id}-port`}
          type="text"
          inputMode="numeric"
          value={port}
          onChange={(e) => setPort(e.target.value)}
          placeholder="443"
          aria-invalid={error?.field === 'port' ? true : undefined}
          aria-describedby={error ? `${id}-err` : undefined}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-proto`}>Check as</label>
        <select id={`${id}-proto`} value={protocol} onChange={(e) => setProtocol(e.target.value as ProbeProtocol)}>
          {PROBE_PROTOCOLS.map((p) => (
            <option key={p} value={p}>
              {PROTOCOL_WORDS[p]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="secondary">
        Add endpoint
      </button>
      {error && (
        <p id={`${id}-err`} className="error" role="alert">
          {error.message}
        </p>
      )}
    </form>
  );
}
