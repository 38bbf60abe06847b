import { useEffect, useId, useState } from 'react';
import type { ProxySpec } from '../../../shared/probe';
import { api } from '../../api';

type EnvProxy = { httpsProxy?: string; httpProxy?: string; noProxy?: string };

/** Proxy choice: the environment's HTTPS_PROXY / NO_PROXY, none, or one entered here. */
export function ProxyFields({ value, onChange }: { value: ProxySpec; onChange(v: ProxySpec): void }): React.JSX.Element {
  const id = useId();
  const [env, setEnv] = useState<EnvProxy | null>(null);
  useEffect(() => {
    void api.invoke('probe:proxy-env', {}).then((r) => setEnv(r.ok ? r.value : {}));
  }, []);
  const manual = value.mode === 'manual' ? value : { mode: 'manual' as const, url: '' };
  const envWords =
    env === null
      ? 'reading…'
      : env.httpsProxy || env.httpProxy
        ? [env.httpsProxy && `HTTPS_PROXY=${env.httpsProxy}`, env.httpProxy && `HTTP_PROXY=${env.httpProxy}`, env.noProxy && `NO_PROXY=${env.noProxy}`]
            .filter(Boolean)
            .join(', ')
        : 'none set';
  return (
    <fieldset className="probe-proxy">
      <legend>Proxy</legend>
      <label className="variant">
        <input type="radio" name={`${id}-mode`} checked={value.mode === 'env'} onChange={() => onChange({ mode: 'env' })} /> From this computer&apos;s
        environment ({envWords})
      </label>
      <label className="variant">
        <input type="radio" name={`${id}-mode`} checked={value.mode === 'none'} onChange={() => onChange({ mode: 'none' })} /> No proxy (direct connections)
      </label>
      <label className="variant">
        <input type="radio" name={`${id}-mode`} checked={value.mode === 'manual'} onChange={() => onChange(manual)} /> This proxy:
      </label>
      {value.mode === 'manual' && (
        <div className="probe-proxy-fields">
          <div className="field">
            <label htmlFor={`${id}-url`}>Proxy URL</label>
            <input
              id={`${id}-url`}
              type="text"
              spellCheck={false}
              placeholder="http://proxy.example.com:3128"
              value={value.url}
              onChange={(e) => onChange({ ...value, url: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-no`}>NO_PROXY (hosts reached directly)</label>
            <input
              id={`${id}-no`}
              type="text"
              spellCheck={false}
              placeholder=".corp.example, 10.0.0.5"
              value={value.noProxy ?? ''}
              onChange={(e) => onChange({ ...value, noProxy: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-user`}>Proxy user (optional)</label>
            <input
              id={`${id}-user`}
              type="text"
              autoComplete="off"
              value={value.username ?? ''}
              onChange={(e) => onChange({ ...value, username: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-pass`}>Proxy password (optional, not saved)</label>
            <input
              id={`${id}-pass`}
              type="password"
              autoComplete="off"
              value={value.password ?? ''}
              onChange={(e) => onChange({ ...value, password: e.target.value })}
            />
          </div>
        </div>
      )}
    </fieldset>
  );
}
