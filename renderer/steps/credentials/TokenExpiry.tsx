/**
 * The countdown for a short-lived token (a platform's TokenSpec.lifetime, e.g. GitHub's one-hour
 * registration token): the time left from when the app accepted it, a warning when it runs short,
 * and what to do once it has expired. Generic: any platform whose TokenSpec has a lifetime gets it.
 */
import { useEffect, useState } from 'react';
import type { TokenSummary } from '../../../shared/credentials-contract';
import type { TokenLifetime } from '../../../shared/platforms/types';
import { timeLeft, tokenExpiresAt } from '../../../shared/token-lifetime';

export function TokenExpiry({ lifetime, summary }: { lifetime: TokenLifetime | undefined; summary: TokenSummary }): React.JSX.Element | null {
  // The vendor's own expiry when it said one (a token it issued), else counted from the check.
  const expiresAt = summary.expiresAt ?? (summary.checkedAt === undefined ? undefined : tokenExpiresAt(lifetime, summary.kind, summary.checkedAt));
  const counted = summary.expiresAt !== undefined ? 'as the vendor said when it issued it' : 'counted here from when you checked it';
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (expiresAt === undefined) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [expiresAt]);
  if (expiresAt === undefined || !lifetime) return null;
  const left = timeLeft(expiresAt, now, lifetime.warnMs);
  const minutes = Math.round(lifetime.ms / 60_000);
  if (left.state === 'expired')
    return (
      <div className="cred-error" role="alert" data-testid="token-expiry" data-state="expired">
        <p>
          <strong>This {summary.kindName} has expired</strong> ({left.text}): it lasts {minutes} minutes, and the generated files would be refused when they register.
        </p>
        <p className="cred-hint">{lifetime.renew}</p>
      </div>
    );
  return (
    <p className={left.state === 'short' ? 'notice' : 'help'} data-testid="token-expiry" data-state={left.state}>
      {/* The number changes every second: only the state change is announced. */}
      <span aria-hidden="true">
        <strong>{left.text}</strong>{' '}
      </span>
      <span className="sr-only" role="status">
        {left.state === 'short' ? `Less than ${Math.ceil(lifetime.warnMs / 60_000)} minutes left on the token.` : ''}
      </span>
      {left.state === 'short'
        ? `Register soon: a ${summary.kindName} lasts ${minutes} minutes from when it is made (${counted}). ${lifetime.renew}`
        : `A ${summary.kindName} lasts ${minutes} minutes from when it is made (${counted}): run the install before then.`}
    </p>
  );
}
