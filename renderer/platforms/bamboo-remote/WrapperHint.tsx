import { useEffect, useState } from 'react';
import type { WrapperInfo } from '../../../shared/platforms/bamboo-remote/contract';
import type { AppError } from '../../../shared/result';
import { api } from '../../api';

const TOKEN_WORDS: Record<WrapperInfo['token']['state'], string> = {
  missing: 'no token line yet: it is added right after the server URL',
  empty: 'the token line is empty: the token goes there',
  present: 'holds a token now: it is replaced',
};

/**
 * For a Bamboo agent: as soon as a path is given, reads its wrapper.conf (bamboo:readWrapper) and
 * shows the server URL found in it and where the token goes, before any token is pasted.
 */
export function BambooWrapperHint({ path }: { path: string }): React.JSX.Element | null {
  // The answer is kept with the path it is for, so a stale one is never shown for a new path.
  const [read, setRead] = useState<{ path: string; info?: WrapperInfo; error?: AppError } | null>(null);
  useEffect(() => {
    if (!path.trim()) return undefined;
    let live = true;
    // Read once the user stops typing, not on every key.
    const timer = setTimeout(() => {
      void api.invoke('bamboo:readWrapper', { path: path.trim() }).then((r) => {
        if (live) setRead(r.ok ? { path, info: r.value } : { path, error: r.error });
      });
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [path]);
  const current = read && read.path === path && path.trim() ? read : null;
  const info = current?.info;
  const error = current?.error;
  if (error) {
    return (
      <p className="muted bamboo-wrapper-hint" data-testid="bamboo-wrapper-hint">
        {error.message}
        {error.hint ? ` ${error.hint}` : ''}
      </p>
    );
  }
  if (!info) return null;
  return (
    <div className="bamboo-wrapper-hint" role="status" data-testid="bamboo-wrapper-hint">
      <p>
        <code className="path">{info.path}</code>: server URL <code>{info.serverUrl}</code> (wrapper.app.parameter.{info.serverUrlParameter}, line{' '}
        {info.serverUrlLine}).
      </p>
      <p>
        The token is wrapper.app.parameter.{info.token.parameter}
        {info.token.masked ? (
          <>
            {' '}
            (now <code>{info.token.masked}</code>)
          </>
        ) : null}
        : {TOKEN_WORDS[info.token.state]}. Line endings ({info.lineEnding.toUpperCase()}) and every other line stay as they are.
      </p>
    </div>
  );
}
