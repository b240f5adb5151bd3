'use client';

import { useEffect } from 'react';

/**
 * Keeps an invitation's token for the sign-up that follows, email or Google alike (Google's
 * callback comes back as a top-level navigation, which carries a SameSite=Lax cookie).
 */
export function InviteCookie({ token }: { token: string }) {
  useEffect(() => {
    const secure = window.location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = `rapport_invite=${encodeURIComponent(token)}; Path=/api/auth; Max-Age=3600; SameSite=Lax${secure}`;
  }, [token]);
  return null;
}
