/**
 * The countdown for a short-lived token (a platform's TokenSpec.lifetime, e.g. GitHub's one-hour
 * registration token): the time left from when the app accepted it, a warning when it runs short,
 * and what to do once it has expired. Generic: any platform whose TokenSpec has a lifetime gets it.
 * The words come from expiryNotice (token-forms.ts); this part only ticks the clock and draws them.
 */
import { useEffect, useState } from 'react';
import type { TokenSummary } from '../../../shared/credentials-contract';
import type { TokenLifetime } from '../../../shared/platforms/types';
import { expiresAtOf, expiryNotice } from './token-forms';

export function TokenExpiry({ lifetime, summary }: { lifetime: TokenLifetime | undefined; summary: TokenSummary }): React.JSX.Element | null {
  const expiresAt = expiresAtOf(lifetime, summary);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (expiresAt === undefined) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [expiresAt]);
  const notice = expiryNotice(lifetime, summary, now);
  if (!notice) return null;
  if (notice.state === 'expired')
    return (
      <div className="cred-error" role="alert" data-testid="token-expiry" data-state="expired">
        <p>
          <strong>{notice.headline}</strong>
          {notice.detail}
        </p>
        <p className="cred-hint">{notice.renew}</p>
      </div>
    );
  return (
    <p className={notice.state === 'short' ? 'notice' : 'help'} data-testid="token-expiry" data-state={notice.state}>
      {/* The number changes every second: only the state change is announced. */}
      <span aria-hidden="true">
        <strong>{notice.clock}</strong>{' '}
      </span>
      <span className="sr-only" role="status">
        {notice.announce}
      </span>
      {notice.sentence}
    </p>
  );
}
